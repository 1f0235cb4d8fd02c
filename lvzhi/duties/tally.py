"""履职统计: each member's year in a few summary rows, so the reports read a
few thousand rows instead of the year's duty records and invitations
(DESIGN §5 Reports: heavy figures come from summary rows kept in step in the
same transactions, with a recount test).

* ``DutyTally`` — per member, year and duty kind: the live (not withdrawn)
  records and the sum of their shares; the year is the record's date's.
* ``InvitationTally`` — per member, year and activity kind: the invitations
  and how many of them were attended; the year is the local day the activity
  starts on (as the reports' periods read it), and only invitations of the
  activity's own committee count.

Both are **recounts, never increments**: a write recounts the rows of the
members (and years) it touched from the raw rows, set-based (a DELETE and one
``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE``), in the transaction
of the write. The full rebuild (``manage.py duties_tally_rebuild``, the
migration, the province dataset) is the same statement without a filter, so
"the tally equals a recount" holds by construction and is tested after every
kind of write (``tests/test_tally.py``).

Who keeps them in step:

* the duty ledger's listener (``duties.services.ledger_listen``, the one
  points uses for ``MemberScore``): every record written or withdrawn, once
  per ``ledger_batch()``;
* the invitations' workflow events (``core.workflow.event_listen``): a
  check-in, a mark or a correction that makes an invitation attended or not;
* ``activity_publish`` (the invitations are created in bulk) and
  ``activity_save`` (a published activity whose kind or year changes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import connection, models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from lvzhi.duties.models import (
    Activity,
    DutyRecord,
    DutyTally,
    Invitation,
    InvitationEvent,
    InvitationTally,
)

# Members per statement (each id a parameter; SQLite takes 32,766).
CHUNK = 500
Members = Sequence[int] | QuerySet[Any] | None


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The moments of a year's local days (an index on ``start_at`` serves them)."""
    return (
        timezone.make_aware(datetime.combine(date(year, 1, 1), time.min)),
        timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min)),
    )


def duty_counts(*, members: Members = None, year: int | None = None) -> QuerySet[Any]:
    """The recount of ``DutyTally`` from the ledger, one row per member, year
    and kind (committee, member, year, kind, records, shares)."""
    rows = DutyRecord.objects.filter(withdrawn_at__isnull=True)
    if members is not None:
        rows = rows.filter(member_id__in=members)
    if year is not None:
        rows = rows.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    return (
        rows.order_by()
        .values(c=F("committee_id"), m=F("member_id"), y=ExtractYear("date"), k=F("kind"))
        .annotate(n=Count("id"), s=Sum("share"))
    )


def invitation_counts(*, members: Members = None, year: int | None = None) -> QuerySet[Any]:
    """The recount of ``InvitationTally`` from the invitations, one row per
    member, year and activity kind (committee, member, year, kind, invited,
    attended)."""
    rows = Invitation.objects.filter(activity__committee=F("committee"))
    if members is not None:
        rows = rows.filter(member_id__in=members)
    if year is not None:
        first, after = _year_bounds(year)
        rows = rows.filter(activity__start_at__gte=first, activity__start_at__lt=after)
    return (
        rows.order_by()
        .values(
            c=F("committee_id"),
            m=F("member_id"),
            y=ExtractYear("activity__start_at"),
            k=F("activity__kind"),
        )
        .annotate(n=Count("id"), a=Count("id", filter=Q(state=Invitation.State.ATTENDED)))
    )


@dataclass(frozen=True)
class _Tally:
    model: type[models.Model]
    counts: Callable[..., QuerySet[Any]]  # its recount
    values: tuple[str, str]  # the recount's value columns
    kind: str  # the tally's kind column
    columns: tuple[str, str]  # the tally's value columns

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def names(self) -> str:
        """The tally's columns, in the order of ``recount``'s."""
        return ", ".join(("committee_id", "member_id", "year", self.kind, *self.columns))

    def recount(self, members: Members = None, year: int | None = None) -> tuple[str, Any]:
        """The SELECT of the recount (as the tally's columns) and its parameters."""
        select, params = self.counts(members=members, year=year).query.sql_with_params()
        quote = connection.ops.quote_name
        picked = ", ".join(f"q.{quote(c)}" for c in ("c", "m", "y", "k", *self.values))
        return f"SELECT {picked} FROM ({select}) q", params  # noqa: S608 -- names are ours


_DUTIES = _Tally(DutyTally, duty_counts, ("n", "s"), "kind", ("records", "shares"))
_INVITATIONS = _Tally(
    InvitationTally, invitation_counts, ("n", "a"), "activity_kind", ("invited", "attended")
)


def _recount(spec: _Tally, members: Members, year: int | None) -> None:
    """Replace the tally rows of ``members`` (all when None) in ``year`` (all
    when None) by their recount: one DELETE and one INSERT … SELECT."""
    stale = spec.model._default_manager.all()
    if members is not None:
        stale = stale.filter(member_id__in=members)
    if year is not None:
        stale = stale.filter(year=year)
    stale.delete()  # nothing points at a tally row: one DELETE
    select, params = spec.recount(members, year)
    updates = ", ".join(f"{c} = excluded.{c}" for c in ("committee_id", *spec.columns))
    # WHERE true: SQLite reads ON CONFLICT after a bare SELECT as a join. The
    # conflict arises only when a concurrent recount of the same member won.
    sql = (
        f"INSERT INTO {spec.table} ({spec.names}) {select} WHERE true "
        f"ON CONFLICT (member_id, year, {spec.kind}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for at in range(0, len(ordered), CHUNK):
        yield ordered[at : at + CHUNK]


def duties_recount(*, members: Iterable[int] | None = None, year: int | None = None) -> None:
    """Recount ``DutyTally`` for some members (all when None) and a year (all when None)."""
    if members is None:
        _recount(_DUTIES, None, year)
        return
    for chunk in _chunks(members):
        _recount(_DUTIES, chunk, year)


def invitations_recount(*, members: Members = None, year: int | None = None) -> None:
    """Recount ``InvitationTally`` for some members (a list of ids, or a
    queryset of them used as a subquery) and a year (all when None)."""
    if members is None or isinstance(members, QuerySet):
        _recount(_INVITATIONS, members, year)
        return
    for chunk in _chunks(members):
        _recount(_INVITATIONS, chunk, year)


def rebuild() -> dict[str, int]:
    """Recount both tallies from the raw rows (``duties_tally_rebuild``);
    returns the rows each holds."""
    duties_recount()
    invitations_recount()
    return {
        DutyTally._meta.db_table: DutyTally.objects.count(),
        InvitationTally._meta.db_table: InvitationTally.objects.count(),
    }


def mismatches() -> dict[str, int]:
    """Per tally, the rows that differ from a recount (either way round): 0
    when it is in step (``bench/province.py --check``)."""
    found: dict[str, int] = {}
    for spec in (_DUTIES, _INVITATIONS):
        counted, params = spec.recount()
        stored = f"SELECT {spec.names} FROM {spec.table}"  # noqa: S608 -- names are ours
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM ({stored} EXCEPT {counted}) a) "  # noqa: S608 -- names are ours
                f"+ (SELECT COUNT(*) FROM ({counted} EXCEPT {stored}) b)",
                [*params, *params],
            )
            found[spec.table] = cursor.fetchone()[0]
    return found


# --- Keeping them in step ---------------------------------------------------------


def on_ledger_change(records: Sequence[DutyRecord]) -> None:
    """Ledger listener: recount the tally of the members and years of the
    records written or withdrawn (one statement pair per year and chunk)."""
    touched: dict[int, set[int]] = defaultdict(set)
    for record in records:
        touched[record.date.year].add(record.member_id)
    for year, members in sorted(touched.items()):
        duties_recount(members=members, year=year)


def on_invitation_event(event: InvitationEvent) -> None:
    """Workflow listener: an invitation became attended or stopped being so
    (a check-in, a mark, a correction): recount its member's invitations."""
    attended = Invitation.State.ATTENDED
    if (event.from_state == attended) != (event.to_state == attended):
        invitations_recount(members=[event.invitation.member_id])


def activity_invitations_recount(activity: Activity, *, years: Iterable[int] = ()) -> None:
    """Recount the invitees of ``activity`` for the year it starts in (and
    ``years``, the ones it started in before a change)."""
    invitees = Invitation.objects.filter(activity=activity).values("member_id")
    for year in sorted({timezone.localtime(activity.start_at).year, *years}):
        invitations_recount(members=invitees, year=year)
