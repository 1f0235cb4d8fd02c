"""The one AppConfig shape of Lvzhi's apps.

An app's registries — its named permissions (``rules``), audit codes
(``audit``), committee settings (``settings_defs``), state tables
(``workflow``) and exports (``exports``) — register themselves when imported. ``ready()`` imports
whichever of them the app has, by that convention, so no app lists them by
hand; the app's own ``register()`` adds its menu entries, home shortcuts and
listeners."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig

REGISTRY_MODULES = ("rules", "audit", "settings_defs", "workflow", "exports")


class LvzhiAppConfig(AppConfig):
    def ready(self) -> None:
        for module in REGISTRY_MODULES:
            name = f"{self.name}.{module}"
            if find_spec(name) is not None:
                import_module(name)
        self.register()

    def register(self) -> None:
        """Menu entries, home shortcuts and listeners of the app (override)."""
