"""The ``/api/v1`` API: authentication, pagination and errors in one place; endpoints live in
each app's ``apis.py`` Router.

Every 4xx answer has one shape, ``{"message": ..., "extra": {...}}`` (``ErrorOut``): domain errors
from services, validation errors (422), authentication (401), permission (403), unknown objects
and unknown addresses under ``/api/v1/`` (404), methods an address does not take (405), request
bodies that are not JSON (400).
"""

from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from compacts.api.docs import LocalSwagger
from compacts.core.exceptions import ApplicationError

NOT_FOUND = gettext_lazy("There is nothing at this address.")
METHOD_NOT_ALLOWED = gettext_lazy("This address does not accept the %(method)s method.")
NOT_VALID = gettext_lazy("The request is not valid.")
NOT_JSON = gettext_lazy("The request body is not valid JSON.")
UNAUTHENTICATED = gettext_lazy("Authentication is required or the token is not valid.")
FORBIDDEN = gettext_lazy("You do not have permission to do this.")


def error_body(message: str, extra: dict | None = None) -> dict:
    return {"message": str(message), "extra": extra or {}}


class CompactsAPI(NinjaAPI):
    """NinjaAPI whose every answer outside a 2xx is JSON in the error format, including the
    addresses django-ninja itself leaves to Django (unknown paths, wrong methods)."""

    def _get_urls(self) -> list:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    # ninja's root view raises Http404 outside its own error handling.
                    pattern.callback = self._not_found_view()
                else:
                    pattern.callback = self._json_method_not_allowed(pattern.callback)
        # Last: any other address under /api/v1/ is a JSON 404, whatever the method.
        patterns.append(re_path(r"^.+$", self._not_found_view(), name="api-not-found"))
        return patterns

    def _not_found_view(self):
        @csrf_exempt
        def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return self.create_response(
                request, error_body(NOT_FOUND, {"path": request.path}), status=404
            )

        return not_found

    def _json_method_not_allowed(self, view):
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
                allowed = sorted(
                    m.strip() for m in response.get("Allow", "").split(",") if m.strip()
                )
                replacement = self.create_response(
                    request,
                    error_body(
                        str(METHOD_NOT_ALLOWED) % {"method": request.method}, {"allowed": allowed}
                    ),
                    status=405,
                )
                replacement["Allow"] = ", ".join(allowed)
                return replacement
            return response

        return checked


api = CompactsAPI(
    title="compacts API",
    version="1",
    description=(
        "Public reference data of the Global Compacts, the Migration MPTF and the UN Network on "
        'Migration. Lists take `?limit=&offset=` and return `{"count": N, "items": [...]}`; every '
        'error returns `{"message": ..., "extra": {...}}`. Machine clients authenticate with '
        "`Authorization: Bearer <token>` (tokens: `/api/v1/tokens`)."
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _clean_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep what a client needs (where, what, why); drop the echoed input and exception objects,
    which may be large or not serialisable."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, error_body(exc.message, exc.extra), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request, error_body(NOT_VALID, {"errors": _clean_validation_errors(exc.errors)}), status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(request, error_body(UNAUTHENTICATED), status=401)


@api.exception_handler(AuthorizationError)
def authorization_error(request, exc):
    return api.create_response(request, error_body(FORBIDDEN), status=403)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, error_body(FORBIDDEN), status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error_body(NOT_FOUND), status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    messages = {400: NOT_JSON, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}
    message = messages.get(exc.status_code, exc.message)
    return api.create_response(request, error_body(message), status=exc.status_code)


def _mount_routers() -> None:
    from compacts.actors.apis import router as actors_router
    from compacts.api.apis import router as tokens_router
    from compacts.framework.apis import router as framework_router
    from compacts.fund.apis import router as fund_router
    from compacts.gateway.apis import router as gateway_router
    from compacts.iati.apis import router as iati_router
    from compacts.network.apis import router as network_router
    from compacts.programmes.apis import router as programmes_router
    from compacts.results.apis import router as results_router
    from compacts.tracking.apis import router as tracking_router

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
    api.add_router("/figures", __import__("compacts.api.figures", fromlist=["router"]).router)


_mount_routers()
