"""The figures of ``compacts.core.figures`` through the API, mounted at ``/api/v1/figures``.

``GET /api/v1/figures/`` lists every figure (slug and title); ``GET /api/v1/figures/{slug}``
gives one with the query string as its parameters, in the shape of the ``.json`` download:
``{"title", "description", "source", "columns": [{"key", "label", "kind"}], "rows": [...]}``,
decimals as strings (no amount passes through a float).
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from compacts.api.auth import public_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import ErrorOut
from compacts.core.exceptions import ApplicationError
from compacts.core.figures import figure_get, figure_json, registered_figures

router = Router(tags=["figures"], auth=public_auth)


class FigureListOut(Schema):
    slug: str
    title: str
    url: str


class FigureColumnOut(Schema):
    key: str
    label: str
    kind: str


class FigureOut(Schema):
    title: str
    description: str
    source: str
    columns: list[FigureColumnOut]
    rows: list[dict[str, Any]]


def _title(registered) -> str:
    if registered.title:
        return str(registered.title)
    try:
        return figure_get(registered.slug, {}).title
    except ApplicationError:  # the figure needs parameters (a country, a programme...)
        return registered.slug


@router.get("/", response=list[FigureListOut], url_name="figure-list")
@paginate(Paginated)
def figure_list(request: HttpRequest):
    """Every figure: its slug, its title in the request's language and its address here."""
    return [
        {
            "slug": registered.slug,
            "title": _title(registered),
            "url": reverse("api:figure", kwargs={"slug": registered.slug}),
        }
        for registered in registered_figures()
    ]


@router.get(
    "/{slug}",
    response={200: FigureOut, 400: ErrorOut, 404: ErrorOut},
    url_name="figure",
)
def figure_detail(request: HttpRequest, slug: str):
    """One figure; the query string holds its parameters (as on ``/data/<slug>.json``)."""
    return figure_json(figure_get(slug, request.GET.dict()))
