"""The figure registry: apps register figure functions; ``figure_get`` runs them, cached.

A figure is cached under the versions of the data topics it depends on (``compacts.core.changes``),
its slug, its parameters and the active language, so a change announced by any service shows on
the next request in every process, and no cache entry ever needs deleting.
"""

import hashlib
import importlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compacts.core.changes import TOPICS, versions_key
from compacts.core.exceptions import NotFoundError
from compacts.core.figures.base import Column, Figure

FigureFunction = Callable[..., Figure]

# A day: entries of old versions are never read again and age out of the cache.
CACHE_SECONDS = 24 * 60 * 60
# Query strings are the public's input: bound what reaches a figure function and the cache key.
MAX_PARAMS = 20
MAX_PARAM_LENGTH = 200


def unknown_figure_message(slug: str) -> str:
    return _("There is no figure called “%(slug)s”.") % {"slug": slug}


@dataclass(frozen=True)
class RegisteredFigure:
    slug: str
    function: FigureFunction
    topics: tuple[str, ...]
    title: Any = None  # optional (lazy) title for lists, when the figure needs parameters


_FIGURES: dict[str, RegisteredFigure] = {}
_discovered = False
_lock = threading.Lock()


def register_figure(
    slug: str, *, topics: tuple[str, ...] = (), title: Any = None
) -> Callable[[FigureFunction], FigureFunction]:
    """Register ``function(*, params) -> Figure`` as the figure ``slug``.

    ``topics`` are the data topics of ``compacts.core.changes`` the figure reads: its cached copy
    is renewed as soon as a service announces a change in any of them. ``title`` (optional) names
    the figure in lists when it cannot be built without parameters.
    """
    unknown = [topic for topic in topics if topic not in TOPICS]
    if unknown:
        raise ValueError(f"Figure {slug!r}: unknown topics {unknown}; known: {', '.join(TOPICS)}.")

    def decorator(function: FigureFunction) -> FigureFunction:
        existing = _FIGURES.get(slug)
        if existing is not None and existing.function.__qualname__ != function.__qualname__:
            raise ValueError(f"The figure slug {slug!r} is already registered.")
        _FIGURES[slug] = RegisteredFigure(slug, function, tuple(topics), title)
        return function

    return decorator


def unregister_figure(slug: str) -> None:
    """Remove a figure (for tests)."""
    _FIGURES.pop(slug, None)


def discover() -> None:
    """Import ``compacts.<app>.figures`` of every project app once."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        for config in apps.get_app_configs():
            dotted = f"{config.name}.figures"
            if (
                config.name.startswith("compacts.")
                and config.name != "compacts.core"
                and find_spec(dotted) is not None
            ):
                importlib.import_module(dotted)
        _discovered = True


def registered_figures() -> list[RegisteredFigure]:
    """Every registered figure, by slug."""
    discover()
    return [_FIGURES[slug] for slug in sorted(_FIGURES)]


def figure_registered(slug: str) -> RegisteredFigure:
    """The registration of ``slug``, or ``NotFoundError``."""
    discover()
    try:
        return _FIGURES[slug]
    except KeyError:
        raise NotFoundError(unknown_figure_message(slug), {"slug": slug}) from None


def clean_params(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Parameters as strings, sorted by name: ``None`` values dropped, at most ``MAX_PARAMS``
    of them, names and values cut to ``MAX_PARAM_LENGTH`` characters."""
    cleaned: dict[str, str] = {}
    for key, value in sorted((params or {}).items(), key=lambda item: str(item[0])):
        if value is None or len(cleaned) >= MAX_PARAMS:
            continue
        if isinstance(value, list | tuple):  # a QueryDict's lists: the last value counts
            if not value:
                continue
            value = value[-1]
        cleaned[str(key)[:MAX_PARAM_LENGTH]] = str(value)[:MAX_PARAM_LENGTH]
    return cleaned


def _cache_key(registered: RegisteredFigure, params: dict[str, str]) -> str:
    raw = "\x1f".join(
        [
            versions_key(*registered.topics) if registered.topics else "",
            registered.slug,
            "\x1e".join(f"{key}={value}" for key, value in params.items()),
            get_language() or "",
        ]
    )
    return "figures:" + hashlib.sha256(raw.encode()).hexdigest()


def _plain(figure: Figure, slug: str, params: dict[str, str], key: str) -> Figure:
    """The figure with its texts as plain strings in the active language, ready to cache."""
    return replace(
        figure,
        title=str(figure.title),
        description=str(figure.description or ""),
        source=str(figure.source or ""),
        columns=[Column(c.key, str(c.label), c.kind) for c in figure.columns],
        slug=slug,
        params=dict(params),
        cache_key=key,
    )


def figure_get(slug: str, params: Mapping[str, Any] | None = None) -> Figure:
    """The figure ``slug`` built with ``params`` (query-string values), from the cache when its
    data has not changed. Unknown slugs, and unknown codes in ``params``, raise ``NotFoundError``.
    """
    registered = figure_registered(slug)
    cleaned = clean_params(params)
    key = _cache_key(registered, cleaned)
    figure = cache.get(key)
    if figure is None:
        built = registered.function(params=dict(cleaned))
        if not isinstance(built, Figure):
            raise TypeError(f"The figure function of {slug!r} returned {type(built).__name__}.")
        figure = _plain(built, slug, cleaned, key)
        cache.set(key, figure, CACHE_SECONDS)
    return figure
