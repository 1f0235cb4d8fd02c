"""One search interface, two engines over the same jieba tokens
(``SearchEntry.tokens``): SQLite FTS5 (the virtual table the migrations
create, kept in step by triggers, with the committee as a second column) and
PostgreSQL full-text search (``to_tsvector('simple', tokens)``, stored in a
generated column with a GIN index).

Every token reaching an engine is letters and digits only
(``tokens.query_tokens``) and is passed as a parameter; FTS5 still gets
each one double-quoted, so ``OR``, ``NEAR`` or ``AND`` are words, not operators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "assist_search_fts"
# bm25() weighs the tokens column only: the committee column (one token a
# row) narrows the match and adds nothing to a row's score.
FTS_RANK = f"-bm25({FTS_TABLE}, 1.0, 0.0)"


class Engine(Protocol):
    def match(
        self,
        entries: QuerySet[Any],
        tokens: list[str],
        *,
        committees: Sequence[int],
        any_token: bool = False,
    ) -> QuerySet[Any]:
        """The entries containing every token (or any, for similarity),
        annotated with ``rank`` (higher is better) and ordered by it.
        ``entries`` are of ``committees`` (their pks) only."""
        ...


def _fts_expression(tokens: list[str], *, committees: Sequence[int], any_token: bool) -> str:
    """The committees' rows (their column) holding the tokens (in the tokens
    column: a proposal's number must not match a committee's id)."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in tokens]
    words = (" OR " if any_token else " ").join(quoted)
    where = " OR ".join(f'"{int(pk)}"' for pk in committees)
    if len(committees) > 1:
        where = f"({where})"  # one committee without: FTS5 walks a bare phrase faster
    return f"committee_id : {where} AND tokens : ({words})"


class SqliteEngine:
    def match(
        self,
        entries: QuerySet[Any],
        tokens: list[str],
        *,
        committees: Sequence[int],
        any_token: bool = False,
    ) -> QuerySet[Any]:
        # FTS5 walks only the committees' rows (the committee column, ANDed
        # in the MATCH), not every committee's hits of the draft's words.
        # The scoped entries' ids are read first (one list, through the
        # committee index) and each FTS hit is checked against it before its
        # row is read. The unary + (here and on the join) keeps SQLite from
        # handing the ids to FTS5 as rowid lookups, which would run the match
        # once per id (the plan it chose for the page's COUNT: 5-10 times
        # slower than one walk of the committees' rows). bm25() is
        # lower for better matches; negated so both engines sort descending.
        if not committees:
            return entries.none()
        try:
            scoped, scoped_params = entries.order_by().values("id").query.sql_with_params()
        except EmptyResultSet:  # a scope that can hold nothing (no unit, no role)
            return entries.none()
        return (
            entries.extra(  # noqa: S610 - constant SQL; the query and the ids are parameters
                tables=[FTS_TABLE],
                where=[
                    f"+{FTS_TABLE}.rowid = assist_searchentry.id",
                    f"{FTS_TABLE} MATCH %s",
                    f"+{FTS_TABLE}.rowid IN ({scoped})",
                ],
                params=[
                    _fts_expression(tokens, committees=committees, any_token=any_token),
                    *scoped_params,
                ],
            )
            .annotate(rank=RawSQL(FTS_RANK, ()))  # noqa: S611 - constant
            .order_by(F("rank").desc(), "-id")
        )


class PostgresEngine:
    # The stored, generated to_tsvector('simple', tokens) (migration 0003):
    # ranking reads it instead of parsing every matching row's tokens again.
    VECTOR = "assist_searchentry.tsv"

    def match(
        self,
        entries: QuerySet[Any],
        tokens: list[str],
        *,
        committees: Sequence[int],
        any_token: bool = False,
    ) -> QuerySet[Any]:
        # The entries' own WHERE holds the committees (their index is ANDed
        # with the GIN index). The tokens are alphanumeric, so joining them
        # with | or & is a valid tsquery.
        query = (" | " if any_token else " & ").join(tokens)
        return (
            # Constant SQL around a parameter, as above.
            entries.extra(where=[f"{self.VECTOR} @@ to_tsquery('simple', %s)"], params=[query])  # noqa: S610
            .annotate(rank=RawSQL(f"ts_rank({self.VECTOR}, to_tsquery('simple', %s))", (query,)))  # noqa: S611
            .order_by(F("rank").desc(), "-id")
        )


def engine() -> Engine:
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()
