"""Run a hook that several apps provide (reference data, demonstration data) in app order."""

import importlib
from importlib.util import find_spec

from django.apps import apps


def run_app_hooks(module_name: str, function_name: str, *, stdout, **kwargs) -> None:
    """Call ``<app>.<module_name>.<function_name>(stdout=...)`` for each project app that has it,
    in ``INSTALLED_APPS`` order, which is the order imports go (framework before actors...)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("compacts."):
            continue
        dotted = f"{config.name}.{module_name}"
        if find_spec(dotted) is None:
            continue
        module = importlib.import_module(dotted)
        getattr(module, function_name)(stdout=stdout, **kwargs)
