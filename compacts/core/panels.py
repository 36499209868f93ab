"""Panels: a page of one app leaves room for what later apps attach to it.

A page names a slot and renders it with ``{% load panels %}{% panels "gcm-objective" objective %}``.
Apps that come later in the import order fill slots from their own ``panels.py`` (discovered at
first use), so the page's app never imports them:

    from compacts.core.panels import register_panel

    def programmes_context(*, request, obj):
        programmes = programme_list(objective=obj)
        return {"programmes": programmes} if programmes else None   # None: nothing to show

    register_panel("gcm-objective", "programmes/panels/objective.html", programmes_context, 10)

Known slots: ``gcm-objective`` (a ``framework.GcmObjective``) and ``country`` (a
``framework.Country``). A panel template receives ``obj``, ``request`` and its function's dict.
"""

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string

ContextFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    template_name: str
    context_function: ContextFunction | None
    order: int


_PANELS: dict[str, list[Panel]] = {}
_discovered = False
_lock = threading.Lock()


def register_panel(
    slot: str, template_name: str, context_function: ContextFunction | None = None, order: int = 100
) -> Panel:
    """Attach a panel to a slot; registering the same slot and template twice is a no-op."""
    panel = Panel(slot, template_name, context_function, order)
    existing = _PANELS.setdefault(slot, [])
    if not any(p.template_name == template_name for p in existing):
        existing.append(panel)
        existing.sort(key=lambda p: (p.order, p.template_name))
    return panel


def unregister_panel(slot: str, template_name: str) -> None:
    """Remove a panel (for tests)."""
    _PANELS[slot] = [p for p in _PANELS.get(slot, []) if p.template_name != template_name]


def discover() -> None:
    """Import ``<app>.panels`` of every project app once."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        for config in apps.get_app_configs():
            dotted = f"{config.name}.panels"
            if config.name.startswith("compacts.") and find_spec(dotted) is not None:
                importlib.import_module(dotted)
        _discovered = True


def panels_for(slot: str) -> list[Panel]:
    discover()
    return list(_PANELS.get(slot, []))


def render_panels(slot: str, obj: Any, *, request=None) -> str:
    """The HTML of every panel registered for ``slot`` about ``obj``, in order."""
    parts = []
    for panel in panels_for(slot):
        context: dict[str, Any] = {}
        if panel.context_function is not None:
            extra = panel.context_function(request=request, obj=obj)
            if extra is None:
                continue
            context.update(extra)
        context.update({"obj": obj, "slot": slot})
        parts.append(render_to_string(panel.template_name, context, request=request))
    return "".join(parts)
