"""The sector's own work shown on the convener's sector page (界别工作):
apps above points in the layers (studios plans the sector duty weeks and the
round-table lead rotation) register what they hold for a sector and year, so
points shows it without importing them (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkItem:
    """One entry of the sector's work: what (``kind``), when or which (``when``), a note."""

    kind: str | Promise
    when: str
    note: str = ""
    url: str = ""


# A provider reads one sector's year in a bounded number of queries.
Provider = Callable[[Any, int], list[WorkItem]]
_providers: list[Provider] = []


def register_sector_work(provider: Provider) -> None:
    """Add what an app holds for a sector and year (called in AppConfig.register)."""
    if provider not in _providers:
        _providers.append(provider)


def sector_work(sector: Any, year: int) -> list[WorkItem]:
    return [item for provider in _providers for item in provider(sector, year)]
