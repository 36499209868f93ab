"""The site's main navigation, gathered from each app's ``navigation.py`` (``ITEMS``).

Each item is ``NavItem(label, url_name, order)``; apps add their sections without editing the
base template.
"""

import importlib
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    staff_only: bool = False


@cache
def _items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.navigation"
        if config.name.startswith("compacts.") and find_spec(dotted) is not None:
            items.extend(getattr(importlib.import_module(dotted), "ITEMS", []))
    return tuple(sorted(items, key=lambda item: item.order))


def main_navigation(*, user, current_path: str) -> list[dict]:
    entries = []
    for item in _items():
        if item.staff_only and not (user.is_authenticated and user.is_staff):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        entries.append({"label": item.label, "url": url, "current": current})
    return entries


ITEMS = [NavItem(_("Audit trail"), "core:audit", 900, staff_only=True)]
