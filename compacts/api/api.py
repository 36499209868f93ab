"""The ``/api/v1`` API: authentication, pagination and errors in one place; endpoints live in
each app's ``apis.py`` Router."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from compacts.core.exceptions import ApplicationError


api = NinjaAPI(
    title="compacts API",
    version="1",
    description=(
        "Public reference data of the Global Compacts, the Migration MPTF and the UN Network on "
        "Migration. Lists return `{\"count\": N, \"items\": [...]}`; every error returns "
        "`{\"message\": ..., \"extra\": {...}}`. Machine clients authenticate with "
        "`Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_body(message: str, extra: dict | None = None) -> dict:
    return {"message": message, "extra": extra or {}}


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, error_body(exc.message, exc.extra), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request, error_body(_("The request is not valid."), {"errors": exc.errors}), status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(
        request, error_body(_("Authentication is required or the token is not valid.")), status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, error_body(str(exc.message)), status=exc.status_code)


@api.exception_handler(Exception)
def unexpected_error(request, exc: Exception):
    from django.http import Http404

    if isinstance(exc, Http404):
        return api.create_response(request, error_body(_("Not found.")), status=404)
    raise exc


def _mount_routers() -> None:
    from compacts.actors.apis import router as actors_router
    from compacts.framework.apis import router as framework_router
    from compacts.fund.apis import router as fund_router
    from compacts.gateway.apis import router as gateway_router
    from compacts.iati.apis import router as iati_router
    from compacts.network.apis import router as network_router
    from compacts.programmes.apis import router as programmes_router
    from compacts.results.apis import router as results_router
    from compacts.tracking.apis import router as tracking_router

    from compacts.api.apis import router as tokens_router

    api.add_router("/framework", framework_router)
    api.add_router("/", actors_router)
    api.add_router("/", fund_router)
    api.add_router("/", programmes_router)
    api.add_router("/results", results_router)
    api.add_router("/network", network_router)
    api.add_router("/tracking", tracking_router)
    api.add_router("/iati", iati_router)
    api.add_router("/gateway", gateway_router)
    api.add_router("/tokens", tokens_router)


_mount_routers()
