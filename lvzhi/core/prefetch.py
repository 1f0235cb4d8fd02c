"""Prefetch a relation only for the rows that have something in it.

A detail page with many small relations (an assignment's contacts, opinions,
replies, requests) pays one query per relation even when most are empty.
The selector annotates each row with an ``Exists`` flag per relation (part of
the row's own query), then ``prefetch_present`` prefetches a relation for the
flagged rows only and gives the others an empty result, so a template's
``row.relation.all`` never queries and an empty relation costs nothing."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Model, Prefetch, prefetch_related_objects


def _empty(lookup: str | Prefetch, model: type[Model]) -> Prefetch:
    if isinstance(lookup, Prefetch):
        assert lookup.queryset is not None
        return Prefetch(lookup.prefetch_through, queryset=lookup.queryset.none())
    related = model._meta.get_field(lookup).related_model
    assert related is not None and not isinstance(related, str)
    return Prefetch(lookup, queryset=related._default_manager.none())


def prefetch_present(rows: Sequence[Model], flags: dict[str, str | Prefetch]) -> None:
    """``flags`` maps an annotated boolean attribute to the relation it
    announces (a name or a ``Prefetch``)."""
    if not rows:
        return
    model = type(rows[0])
    for flag, lookup in flags.items():
        having = [row for row in rows if getattr(row, flag)]
        lacking = [row for row in rows if not getattr(row, flag)]
        if having:
            prefetch_related_objects(having, lookup)
        if lacking:
            # An empty queryset is answered without a query.
            prefetch_related_objects(lacking, _empty(lookup, model))
