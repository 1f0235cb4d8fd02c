"""Where the star rating gets the figures this app does not own.

Messages from the public live in ``lvzhi.public`` (which sits above this app
and imports it), so the public app registers a *metric source* here in its
AppConfig.ready(): a function that returns, for each studio of a committee,
the year's message figures. Without a source those figures are zero."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypedDict


class MessageFigures(TypedDict, total=False):
    messages: int  # messages received in the year (held ones not counted)
    on_time: int  # of which answered within the deadline
    rated: int  # replies the citizen rated
    satisfied: float  # satisfied 1, basically 0.5, not 0 — summed


MetricSource = Callable[[Any, int, Iterable[int]], dict[int, MessageFigures]]
_sources: list[MetricSource] = []


def register_metric_source(source: MetricSource) -> None:
    if source not in _sources:
        _sources.append(source)


def message_figures(
    committee: Any, year: int, studio_ids: Iterable[int]
) -> dict[int, MessageFigures]:
    ids = list(studio_ids)
    merged: dict[int, MessageFigures] = {}
    for source in _sources:
        for studio_id, figures in source(committee, year, ids).items():
            merged.setdefault(studio_id, {}).update(figures)
    return merged
