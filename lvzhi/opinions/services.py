"""Writes of public-opinion reports: one function per use case (DESIGN §4).

Every function is keyword-only, takes the acting user, runs in one
transaction, locks the rows it changes, appends a ReportEvent per report it
touches, writes the audit trail, notifies the submitters and raises a
``DomainError`` with a Chinese message when a rule refuses (nothing is
written then). Duty records go through ``duties.services`` in the same
transaction: submitting earns ``opinion_submitted``; an adoption earns
``opinion_adopted_<level>``; an instruction ``opinion_instruction`` — each
shared 1/n among the n submitters."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import Area, Role
from lvzhi.accounts.roles import has_role
from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.files import attachment_save
from lvzhi.core.notifications import notify
from lvzhi.duties.models import DutyKind
from lvzhi.duties.services import duty_record, duty_records_withdraw
from lvzhi.opinions import workflow
from lvzhi.opinions.models import (
    Adoption,
    Category,
    EditedItem,
    Forwarding,
    ForwardTarget,
    Instruction,
    Issue,
    IssueKind,
    IssueStatus,
    Level,
    NationalMode,
    OpinionSettings,
    Report,
    ReportEvent,
    ReportStatus,
    ReportSubmitter,
    SubmitterKind,
)
from lvzhi.opinions.selectors import item_credits
from lvzhi.org.models import Committee, Member, Sector, SpecialCommittee
from lvzhi.org.selectors import current_term

TITLE_MAX = 100
REASON_MAX = 200
ATTACHMENT_PURPOSE = "report"

ADOPTION_KINDS: dict[str, str] = {
    Level.NATIONAL: DutyKind.OPINION_ADOPTED_NATIONAL,
    Level.PROVINCIAL: DutyKind.OPINION_ADOPTED_PROVINCIAL,
    Level.CITY: DutyKind.OPINION_ADOPTED_CITY,
    Level.COUNTY: DutyKind.OPINION_ADOPTED_COUNTY,
}


# --- Helpers -----------------------------------------------------------------------


def share_of(n: int) -> Decimal:
    """Each of n joint submitters' share (rounded down to the ledger's 4 places)."""
    return (Decimal(1) / Decimal(max(n, 1))).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def _event(
    report: Report,
    action: str,
    actor: Any,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=to_status or from_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _report_url(report: Report) -> str:
    return reverse("opinions:report_detail", args=[report.pk])


def _notify_submitters(report: Report, actor: Any, title: str, body: str = "") -> None:
    users = [
        row.member.person.user
        for row in report.submitter_rows.select_related("member__person__user")
        if row.member.person.user_id and row.member.person.user_id != getattr(actor, "pk", None)
    ]
    notify(
        recipients=users,
        title=title,
        body=body or report.title,
        url=_report_url(report),
        committee=report.committee,
    )


def _require_staff(actor: Any, committee: Any) -> None:
    if not actor.has_perm("opinions.edit", committee):
        raise PermissionDenied(_("Only the office staff for public-opinion reports may do this."))


def _lock_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",)).select_related("committee").get(pk=report.pk)
    )


def _lock_item(item: EditedItem) -> EditedItem:
    return (
        EditedItem.objects.select_for_update(of=("self",)).select_related("issue").get(pk=item.pk)
    )


def _check_text(committee: Committee, title: str, text: str) -> None:
    from lvzhi.opinions.selectors import settings_of

    errors = []
    if not title.strip():
        errors.append(_("Enter the title of the report."))
    elif len(title.strip()) > TITLE_MAX:
        errors.append(_("The title is too long (at most %(max)s characters).") % {"max": TITLE_MAX})
    limit = settings_of(committee).max_chars
    length = len(text.strip())
    if not length:
        errors.append(_("Enter the text of the report."))
    elif length > limit:
        errors.append(
            _("The text has %(count)s characters; at most %(max)s are allowed.")
            % {"count": length, "max": limit}
        )
    if errors:
        raise ValidationFailed(errors[0], errors)


def _check_submitters(
    committee: Committee, author: Member, co_submitters: Sequence[Member]
) -> list[Member]:
    term = current_term(committee)
    members = [author, *[m for m in co_submitters if m.pk != author.pk]]
    for member in members:
        if member.committee_id != committee.pk:
            raise ValidationFailed(
                _("%(name)s is not a member of this committee.") % {"name": member.person.name}
            )
        if member.status != Member.Status.IN_OFFICE or (
            term is not None and member.term_id != term.pk
        ):
            raise ValidationFailed(
                _("%(name)s is not a member in office of the current term.")
                % {"name": member.person.name}
            )
    return members


# --- Settings --------------------------------------------------------------------


def settings_update(
    *,
    actor: Any,
    committee: Committee,
    max_chars: int,
    categories: Sequence[str],
    request: HttpRequest | None = None,
) -> OpinionSettings:
    """Set the length limit and the category list (names not listed are
    deactivated, never deleted: old reports keep their category)."""
    _require_staff(actor, committee)
    if not 100 <= max_chars <= 20000:
        raise ValidationFailed(_("The limit must be between 100 and 20,000 characters."))
    names = []
    for name in categories:
        name = name.strip()
        if name and name not in names:
            if len(name) > 32:
                raise ValidationFailed(
                    _("A category name is too long (at most 32 characters): %(name)s")
                    % {"name": name}
                )
            names.append(name)
    with transaction.atomic():
        settings, _created = OpinionSettings.objects.select_for_update().get_or_create(
            committee=committee
        )
        settings.max_chars = max_chars
        settings.save(update_fields=["max_chars", "updated_at"])
        existing = {
            c.name: c for c in Category.objects.select_for_update().filter(committee=committee)
        }
        for order, name in enumerate(names):
            category = existing.get(name)
            if category is None:
                Category.objects.create(committee=committee, name=name, order=order)
            elif not category.is_active or category.order != order:
                category.is_active, category.order = True, order
                category.save(update_fields=["is_active", "order"])
        for name, category in existing.items():
            if name not in names and category.is_active:
                category.is_active = False
                category.save(update_fields=["is_active"])
        audit_log(
            action="opinions.settings_update",
            actor=actor,
            request=request,
            obj=settings,
            committee=committee,
            max_chars=max_chars,
            categories="、".join(names),
        )
    return settings


# --- Drafts and submission ---------------------------------------------------------


def report_save_draft(
    *,
    actor: Any,
    committee: Committee,
    author: Member,
    title: str,
    text: str,
    category: Category | None = None,
    submitter_kind: str = SubmitterKind.MEMBER,
    special_committee: SpecialCommittee | None = None,
    group_name: str = "",
    co_submitters: Sequence[Member] = (),
    uploads: Iterable[Any] = (),
    report: Report | None = None,
    token: uuid.UUID | None = None,
) -> Report:
    """Create a draft (``report`` None) or change one. A create with a token
    already used returns the draft that token created (double submit)."""
    if author.person.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the author may change this draft."))
    if report is None and token is not None:
        existing = Report.objects.filter(create_token=str(token), committee=committee).first()
        if existing is not None:
            if existing.author_id != author.pk:
                raise Conflict(_("This form was already used. Open a new one."))
            return existing
    _check_text(committee, title, text)
    members = _check_submitters(committee, author, co_submitters)
    if category is not None and (category.committee_id != committee.pk or not category.is_active):
        raise ValidationFailed(_("Choose one of the committee's categories."))
    sector: Sector | None = None
    group_name = group_name.strip()
    if submitter_kind == SubmitterKind.SECTOR:
        sector = author.sector
        if sector is None:
            raise ValidationFailed(_("You belong to no sector, so you cannot submit for one."))
    elif submitter_kind == SubmitterKind.SPECIAL_COMMITTEE:
        if (
            special_committee is None
            or not author.special_committees.filter(pk=special_committee.pk).exists()
        ):
            raise ValidationFailed(_("Choose one of your special committees."))
    elif submitter_kind == SubmitterKind.GROUP:
        if not group_name:
            raise ValidationFailed(_("Enter the name of the party or organisation group."))
    elif submitter_kind != SubmitterKind.MEMBER:
        raise ValidationFailed(_("Choose who submits the report."))
    if submitter_kind != SubmitterKind.SPECIAL_COMMITTEE:
        special_committee = None
    if submitter_kind != SubmitterKind.GROUP:
        group_name = ""
    values = {
        "title": title.strip(),
        "text": text.strip(),
        "category": category,
        "submitter_kind": submitter_kind,
        "sector": sector,
        "special_committee": special_committee,
        "group_name": group_name,
    }
    with transaction.atomic():
        if report is None:
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        committee=committee,
                        author=author,
                        create_token=token or uuid.uuid4(),
                        **values,
                    )
            except IntegrityError:
                # The same form posted twice at once: the other request created it.
                return Report.objects.get(create_token=str(token))
            _event(report, "created", actor, from_status=ReportStatus.DRAFT)
        else:
            report = _lock_report(report)
            if report.author_id != author.pk:
                raise PermissionDenied(_("Only the author may change this draft."))
            if report.status != ReportStatus.DRAFT:
                raise Conflict(
                    _("The report has been submitted; its text can no longer be changed.")
                )
            for field, value in values.items():
                setattr(report, field, value)
            report.save(update_fields=[*values, "updated_at"])
            report.submitter_rows.all().delete()
        ReportSubmitter.objects.bulk_create(
            [ReportSubmitter(report=report, member=m, order=i) for i, m in enumerate(members)]
        )
        for upload in uploads:
            attachment_save(
                committee=committee,
                owner=report,
                upload=upload,
                actor=actor,
                purpose=ATTACHMENT_PURPOSE,
            )
    return report


def _next_serial(committee: Committee, year: int) -> int:
    # The settings row serialises numbering per committee (a lock on PostgreSQL,
    # SQLite's write lock anyway); the unique constraint is the last guard.
    OpinionSettings.objects.get_or_create(committee=committee)
    OpinionSettings.objects.select_for_update().filter(committee=committee).get()
    top = Report.objects.filter(committee=committee, year=year).aggregate(top=Max("serial"))["top"]
    return (top or 0) + 1


def report_submit(*, actor: Any, report: Report, request: HttpRequest | None = None) -> Report:
    """Submit a draft: it gets its number, the original text is frozen and
    each submitter earns an ``opinion_submitted`` duty record (share 1/n).
    A second submit (double click, two tabs) is refused and changes nothing."""
    with transaction.atomic():
        report = _lock_report(report)
        if report.author.person.user_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("Only the author may submit this report."))
        if report.status != ReportStatus.DRAFT:
            raise Conflict(_("This report has already been submitted."))
        to_status = workflow.next_status(report.status, "submit")
        _check_text(report.committee, report.title, report.text)
        members = [row.member for row in report.submitter_rows.select_related("member__person")]
        _check_submitters(report.committee, report.author, members)
        now = timezone.now()
        today = timezone.localdate(now)
        report.year = today.year
        report.serial = _next_serial(report.committee, today.year)
        report.status = to_status
        report.submitted_at = now
        report.save(update_fields=["year", "serial", "status", "submitted_at", "updated_at"])
        share = share_of(len(members))
        for member in members:
            duty_record(
                member=member,
                kind=DutyKind.OPINION_SUBMITTED,
                date=today,
                source=report,
                actor=actor,
                share=share,
                title=report.title,
            )
        _event(report, "submit", actor, from_status=ReportStatus.DRAFT, to_status=to_status)
        audit_log(
            action="opinions.report_submit",
            actor=actor,
            request=request,
            obj=report,
            committee=report.committee,
        )
        _notify_submitters(
            report,
            actor,
            _("A public-opinion report naming you was submitted: %(title)s")
            % {"title": report.title},
        )
    return report


# --- Editing -------------------------------------------------------------------------


def report_accept(*, actor: Any, report: Report, request: HttpRequest | None = None) -> EditedItem:
    """Take a submitted report into editing: its edited item starts as a copy
    of the original, which stays as it was."""
    _require_staff(actor, report.committee)
    with transaction.atomic():
        report = _lock_report(report)
        to_status = workflow.next_status(report.status, "accept")
        item = EditedItem.objects.create(
            committee=report.committee, title=report.title, text=report.text, created_by=actor
        )
        from_status = report.status
        report.status, report.item = to_status, item
        report.save(update_fields=["status", "item", "updated_at"])
        _event(report, "accept", actor, from_status=from_status, to_status=to_status)
        audit_log(
            action="opinions.report_accept",
            actor=actor,
            request=request,
            obj=report,
            committee=report.committee,
        )
        _notify_submitters(
            report, actor, _("Your report is being edited: %(title)s") % {"title": report.title}
        )
    return item


def _check_item_open(item: EditedItem) -> None:
    if item.issue is not None and item.issue.status == IssueStatus.PUBLISHED:
        raise Conflict(_("The item has been published; it can no longer be changed."))


def item_update(
    *, actor: Any, item: EditedItem, title: str, text: str, request: HttpRequest | None = None
) -> EditedItem:
    """Change the edited text (the reports' original text never changes)."""
    _require_staff(actor, item.committee)
    title, text = title.strip(), text.strip()
    if not title:
        raise ValidationFailed(_("Enter the title of the item."))
    if len(title) > TITLE_MAX:
        raise ValidationFailed(
            _("The title is too long (at most %(max)s characters).") % {"max": TITLE_MAX}
        )
    if not text:
        raise ValidationFailed(_("Enter the edited text."))
    with transaction.atomic():
        item = _lock_item(item)
        _check_item_open(item)
        if (item.title, item.text) == (title, text):
            return item
        item.title, item.text = title, text
        item.save(update_fields=["title", "text", "updated_at"])
        for report in item.reports.all():
            _event(report, "edit", actor, from_status=report.status)
    return item


def reports_merge(
    *, actor: Any, item: EditedItem, reports: Sequence[Report], request: HttpRequest | None = None
) -> EditedItem:
    """Merge reports into an item (并稿). A merged report keeps its original;
    its submitters share the item's adoptions. A report in editing brings
    the reports already merged into its own item; that item's edited text is
    kept in the report's history and the emptied item is removed."""
    _require_staff(actor, item.committee)
    if not reports:
        raise ValidationFailed(_("Choose the reports to merge."))
    with transaction.atomic():
        item = _lock_item(item)
        _check_item_open(item)
        if not item.reports.exists():
            raise Conflict(_("This item has no report left to merge into."))
        for report in reports:
            report = _lock_report(report)
            if report.committee_id != item.committee_id:
                raise PermissionDenied(_("Reports of another committee cannot be merged here."))
            if report.item_id == item.pk:
                raise Conflict(_("%(title)s is already in this item.") % {"title": report.title})
            from_status = report.status
            to_status = workflow.next_status(from_status, "merge")
            note = _("Merged into item: %(title)s") % {"title": item.title}
            old = report.item
            if old is not None:
                old = _lock_item(old)
                _check_item_open(old)
                note += "\n" + _("Edited text before the merge:") + "\n" + old.text
                for other in old.reports.exclude(pk=report.pk):
                    other_locked = _lock_report(other)
                    other_locked.item = item
                    other_locked.save(update_fields=["item", "updated_at"])
                    _event(other_locked, "merge", actor, from_status=other_locked.status, note=note)
            report.status, report.item = to_status, item
            report.save(update_fields=["status", "item", "updated_at"])
            if old is not None:
                old.delete()
            _event(report, "merge", actor, from_status=from_status, to_status=to_status, note=note)
            _notify_submitters(
                report,
                actor,
                _("Your report was merged with others for publication: %(title)s")
                % {"title": report.title},
            )
        audit_log(
            action="opinions.reports_merge",
            actor=actor,
            request=request,
            obj=item,
            committee=item.committee,
            reports=",".join(str(r.pk) for r in reports),
        )
    return item


def report_not_use(
    *, actor: Any, report: Report, reason: str, request: HttpRequest | None = None
) -> Report:
    """Mark a report as not used, with the reason the submitters read. Its
    ``opinion_submitted`` duty records stay: submitting counts by itself."""
    _require_staff(actor, report.committee)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason why the report is not used."))
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long (at most %(max)s characters).") % {"max": REASON_MAX}
        )
    with transaction.atomic():
        report = _lock_report(report)
        from_status = report.status
        to_status = workflow.next_status(from_status, "not_use")
        item = report.item
        if item is not None:
            item = _lock_item(item)
            if item.reports.exclude(pk=report.pk).exists():
                raise Conflict(
                    _("Other reports are merged into this report's item; edit the item instead.")
                )
        report.status, report.item, report.not_used_reason = to_status, None, reason
        report.save(update_fields=["status", "item", "not_used_reason", "updated_at"])
        if item is not None:
            item.delete()
        _event(report, "not_use", actor, from_status=from_status, to_status=to_status, note=reason)
        audit_log(
            action="opinions.report_not_use",
            actor=actor,
            request=request,
            obj=report,
            committee=report.committee,
        )
        _notify_submitters(
            report,
            actor,
            _("Your report was not used: %(title)s") % {"title": report.title},
            reason,
        )
    return report


# --- Issues ----------------------------------------------------------------------------


def _check_issue_fields(kind: str, year: int, date: dt.date) -> None:
    if kind not in IssueKind.values:
        raise ValidationFailed(_("Choose the kind of issue."))
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Enter a real year."))


def issue_create(
    *,
    actor: Any,
    committee: Committee,
    kind: str,
    year: int,
    date: dt.date,
    title: str = "",
    to_upper: bool = False,
    to_party: bool = False,
    to_government: bool = False,
    request: HttpRequest | None = None,
) -> Issue:
    """A new draft issue with the next number of its kind in its year."""
    _require_staff(actor, committee)
    _check_issue_fields(kind, year, date)
    with transaction.atomic():
        OpinionSettings.objects.get_or_create(committee=committee)
        OpinionSettings.objects.select_for_update().filter(committee=committee).get()
        top = Issue.objects.filter(committee=committee, year=year, kind=kind).aggregate(
            top=Max("number")
        )["top"]
        issue = Issue.objects.create(
            committee=committee,
            kind=kind,
            year=year,
            number=(top or 0) + 1,
            title=title.strip(),
            date=date,
            to_upper=to_upper,
            to_party=to_party,
            to_government=to_government,
            created_by=actor,
        )
        audit_log(
            action="opinions.issue_create",
            actor=actor,
            request=request,
            obj=issue,
            committee=committee,
        )
    return issue


def _lock_issue(issue: Issue) -> Issue:
    return (
        Issue.objects.select_for_update(of=("self",)).select_related("committee").get(pk=issue.pk)
    )


def _check_issue_draft(issue: Issue) -> None:
    if issue.status != IssueStatus.DRAFT:
        raise Conflict(_("The issue has been published; it can no longer be changed."))


def issue_update(
    *,
    actor: Any,
    issue: Issue,
    date: dt.date,
    title: str = "",
    to_upper: bool = False,
    to_party: bool = False,
    to_government: bool = False,
    request: HttpRequest | None = None,
) -> Issue:
    _require_staff(actor, issue.committee)
    with transaction.atomic():
        issue = _lock_issue(issue)
        _check_issue_draft(issue)
        issue.date, issue.title = date, title.strip()
        issue.to_upper, issue.to_party, issue.to_government = to_upper, to_party, to_government
        issue.save(update_fields=["date", "title", "to_upper", "to_party", "to_government"])
    return issue


def issue_add_items(
    *, actor: Any, issue: Issue, items: Sequence[EditedItem], request: HttpRequest | None = None
) -> Issue:
    """Put items at the end of a draft issue, in the order given."""
    _require_staff(actor, issue.committee)
    if not items:
        raise ValidationFailed(_("Choose the items to put in the issue."))
    with transaction.atomic():
        issue = _lock_issue(issue)
        _check_issue_draft(issue)
        top = issue.items.aggregate(top=Max("position"))["top"] or 0
        for item in items:
            item = _lock_item(item)
            if item.committee_id != issue.committee_id:
                raise PermissionDenied(_("Items of another committee cannot be put in this issue."))
            if item.issue_id is not None:
                raise Conflict(_("%(title)s is already in an issue.") % {"title": item.title})
            top += 1
            item.issue, item.position = issue, top
            item.save(update_fields=["issue", "position", "updated_at"])
    return issue


def issue_remove_item(
    *, actor: Any, issue: Issue, item: EditedItem, request: HttpRequest | None = None
) -> Issue:
    _require_staff(actor, issue.committee)
    with transaction.atomic():
        issue = _lock_issue(issue)
        _check_issue_draft(issue)
        item = _lock_item(item)
        if item.issue_id != issue.pk:
            raise Conflict(_("The item is not in this issue."))
        item.issue, item.position = None, 0
        item.save(update_fields=["issue", "position", "updated_at"])
    return issue


def issue_move_item(
    *, actor: Any, issue: Issue, item: EditedItem, up: bool, request: HttpRequest | None = None
) -> Issue:
    """Move an item one place up or down in a draft issue."""
    _require_staff(actor, issue.committee)
    with transaction.atomic():
        issue = _lock_issue(issue)
        _check_issue_draft(issue)
        items = list(issue.items.select_for_update().order_by("position", "id"))
        index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
        if index is None:
            raise Conflict(_("The item is not in this issue."))
        other = index - 1 if up else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, start=1):
            if it.position != position:
                it.position = position
                it.save(update_fields=["position"])
    return issue


def issue_publish(*, actor: Any, issue: Issue, request: HttpRequest | None = None) -> Issue:
    """Publish a draft issue: its reports in editing become used and their
    submitters are told; the issue and its items are frozen."""
    _require_staff(actor, issue.committee)
    with transaction.atomic():
        issue = _lock_issue(issue)
        _check_issue_draft(issue)
        items = list(issue.items.order_by("position", "id"))
        if not items:
            raise ValidationFailed(_("Put at least one item in the issue before publishing it."))
        if not (issue.to_upper or issue.to_party or issue.to_government):
            raise ValidationFailed(_("Choose at least one recipient of the issue."))
        issue.status = IssueStatus.PUBLISHED
        issue.published_at = timezone.now()
        issue.save(update_fields=["status", "published_at"])
        note = str(issue)
        for item in items:
            for report in (
                Report.objects.select_for_update(of=("self",)).filter(item=item).order_by("id")
            ):
                if report.status == ReportStatus.IN_EDITING:
                    to_status = workflow.next_status(report.status, "publish")
                    _event(
                        report,
                        "publish",
                        actor,
                        from_status=report.status,
                        to_status=to_status,
                        note=note,
                    )
                    report.status = to_status
                    report.save(update_fields=["status", "updated_at"])
                else:
                    _event(report, "publish", actor, from_status=report.status, note=note)
                _notify_submitters(
                    report,
                    actor,
                    _("Your report was published in %(issue)s") % {"issue": note},
                    item.title,
                )
        audit_log(
            action="opinions.issue_publish",
            actor=actor,
            request=request,
            obj=issue,
            committee=issue.committee,
        )
    return issue


# --- Forwarding, adoption, instructions -------------------------------------------------


def _check_published(item: EditedItem) -> EditedItem:
    item = _lock_item(item)
    if not item.is_published:
        raise Conflict(
            _("Only an item published in an issue can be forwarded, adopted or instructed on.")
        )
    return item


def _check_date(date: dt.date | None) -> dt.date:
    if date is None:
        raise ValidationFailed(_("Enter the date."))
    if date > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."))
    return date


def _log_on_reports(item: EditedItem, action: str, actor: Any, note: str, message: str) -> None:
    for report in Report.objects.filter(item=item).select_related("committee").order_by("id"):
        _event(report, action, actor, from_status=report.status, note=note)
        _notify_submitters(report, actor, message, note)


def item_forward(
    *,
    actor: Any,
    item: EditedItem,
    target: str,
    date: dt.date,
    target_name: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Forwarding:
    """Record that a published item was sent to an upper committee, the party
    committee or the government."""
    _require_staff(actor, item.committee)
    if target not in ForwardTarget.values:
        raise ValidationFailed(_("Choose where the item was sent."))
    _check_date(date)
    with transaction.atomic():
        item = _check_published(item)
        forwarding = Forwarding.objects.create(
            committee_id=item.committee_id,
            item=item,
            target=target,
            target_name=target_name.strip()[:100],
            date=date,
            note=note.strip()[:200],
            created_by=actor,
        )
        label = f"{ForwardTarget(target).label} {forwarding.target_name}".strip()
        _log_on_reports(
            item,
            "forward",
            actor,
            f"{label} {date:%Y-%m-%d}",
            _("Your report was sent on to %(to)s") % {"to": label},
        )
        audit_log(
            action="opinions.item_forward",
            actor=actor,
            request=request,
            obj=forwarding,
            committee=item.committee,
        )
    return forwarding


def _check_adoption(level: str, national_mode: str) -> str:
    if level not in Level.values:
        raise ValidationFailed(_("Choose the level that adopted the item."))
    if level == Level.NATIONAL:
        if national_mode not in NationalMode.values:
            raise ValidationFailed(
                _("Say whether the national CPPCC adopted it on its own or combined.")
            )
        return national_mode
    return ""


def _record_adoption_duties(adoption: Adoption, actor: Any) -> None:
    members = item_credits(adoption.item)
    share = share_of(len(members))
    for member in members:
        duty_record(
            member=member,
            kind=ADOPTION_KINDS[adoption.level],
            date=adoption.date,
            source=adoption,
            actor=actor,
            share=share,
            title=adoption.item.title,
        )


def adoption_record(
    *,
    actor: Any,
    item: EditedItem,
    level: str,
    date: dt.date,
    national_mode: str = "",
    text: str = "",
    request: HttpRequest | None = None,
) -> Adoption:
    """Record an adoption at a level; each credited submitter earns the
    level's duty record (share 1/n). One live adoption per item and level."""
    _require_staff(actor, item.committee)
    national_mode = _check_adoption(level, national_mode)
    _check_date(date)
    with transaction.atomic():
        item = _check_published(item)
        if item.adoptions.filter(level=level, withdrawn_at__isnull=True).exists():
            raise Conflict(_("An adoption at this level is already recorded for this item."))
        try:
            with transaction.atomic():
                adoption = Adoption.objects.create(
                    committee_id=item.committee_id,
                    item=item,
                    level=level,
                    national_mode=national_mode,
                    date=date,
                    text=text.strip(),
                    created_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                _("An adoption at this level is already recorded for this item.")
            ) from None
        _record_adoption_duties(adoption, actor)
        label = str(Level(level).label)
        _log_on_reports(
            item,
            "adopt",
            actor,
            f"{label} {date:%Y-%m-%d}",
            _("Your report was adopted: %(level)s") % {"level": label},
        )
        audit_log(
            action="opinions.adoption_record",
            actor=actor,
            request=request,
            obj=adoption,
            committee=item.committee,
            level=level,
        )
    return adoption


def adoption_correct(
    *,
    actor: Any,
    adoption: Adoption,
    level: str,
    date: dt.date,
    national_mode: str = "",
    text: str = "",
    request: HttpRequest | None = None,
) -> Adoption:
    """Correct an adoption: a new level or date withdraws the duty records it
    earned and records the right ones."""
    _require_staff(actor, adoption.committee)
    national_mode = _check_adoption(level, national_mode)
    _check_date(date)
    with transaction.atomic():
        adoption = (
            Adoption.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=adoption.pk)
        )
        if adoption.withdrawn_at is not None:
            raise Conflict(_("This adoption has been withdrawn."))
        if (
            level != adoption.level
            and adoption.item.adoptions.filter(level=level, withdrawn_at__isnull=True).exists()
        ):
            raise Conflict(_("An adoption at this level is already recorded for this item."))
        old = f"{Level(adoption.level).label} {adoption.date:%Y-%m-%d}"
        ledger_changes = level != adoption.level or date != adoption.date
        if ledger_changes:
            duty_records_withdraw(source=adoption, actor=actor, reason=_("Adoption corrected"))
        adoption.level, adoption.national_mode, adoption.date, adoption.text = (
            level,
            national_mode,
            date,
            text.strip(),
        )
        adoption.save(update_fields=["level", "national_mode", "date", "text"])
        if ledger_changes:
            _record_adoption_duties(adoption, actor)
        new = f"{Level(level).label} {date:%Y-%m-%d}"
        _log_on_reports(
            adoption.item,
            "adoption_correct",
            actor,
            f"{old} → {new}",
            _("The adoption of your report was corrected: %(level)s") % {"level": new},
        )
        audit_log(
            action="opinions.adoption_correct",
            actor=actor,
            request=request,
            obj=adoption,
            committee=adoption.committee,
            old=old,
            new=new,
        )
    return adoption


def _outcome_withdraw(
    model: Any,
    outcome: Any,
    *,
    actor: Any,
    reason: str,
    request: HttpRequest | None,
    action: str,
    already: str,
    label: Callable[[Any], str],
    notice: Callable[[Any], str],
) -> Any:
    """Withdraw an adoption or an instruction recorded by mistake, with the
    duty records it earned; the row stays, marked withdrawn."""
    _require_staff(actor, outcome.committee)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Enter the reason for the withdrawal."))
    with transaction.atomic():
        outcome = (
            model.objects.select_for_update(of=("self",)).select_related("item").get(pk=outcome.pk)
        )
        if outcome.withdrawn_at is not None:
            raise Conflict(already)
        outcome.withdrawn_at, outcome.withdrawn_reason = timezone.now(), reason[:REASON_MAX]
        outcome.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        duty_records_withdraw(source=outcome, actor=actor, reason=reason)
        _log_on_reports(outcome.item, action, actor, f"{label(outcome)}: {reason}", notice(outcome))
        audit_log(
            action=f"opinions.{action}",
            actor=actor,
            request=request,
            obj=outcome,
            committee=outcome.committee,
            reason=reason,
        )
    return outcome


def _adoption_label(adoption: Adoption) -> str:
    return f"{Level(adoption.level).label} {adoption.date:%Y-%m-%d}"


def adoption_withdraw(
    *, actor: Any, adoption: Adoption, reason: str, request: HttpRequest | None = None
) -> Adoption:
    """Withdraw an adoption recorded by mistake; its duty records are withdrawn too."""
    withdrawn: Adoption = _outcome_withdraw(
        Adoption,
        adoption,
        actor=actor,
        reason=reason,
        request=request,
        action="adoption_withdraw",
        already=_("This adoption has been withdrawn."),
        label=_adoption_label,
        notice=lambda a: (
            _("An adoption of your report was withdrawn: %(level)s") % {"level": _adoption_label(a)}
        ),
    )
    return withdrawn


def instruction_record(
    *,
    actor: Any,
    item: EditedItem,
    level: str,
    leader_title: str,
    date: dt.date,
    text: str = "",
    request: HttpRequest | None = None,
) -> Instruction:
    """Record a leader's instruction (批示); each credited submitter earns an
    ``opinion_instruction`` duty record (share 1/n)."""
    _require_staff(actor, item.committee)
    if level not in Level.values:
        raise ValidationFailed(_("Choose the level of the leader."))
    leader_title = leader_title.strip()
    if not leader_title:
        raise ValidationFailed(_("Enter the leader's title."))
    if len(leader_title) > 100:
        raise ValidationFailed(_("The leader's title is too long (at most 100 characters)."))
    _check_date(date)
    with transaction.atomic():
        item = _check_published(item)
        instruction = Instruction.objects.create(
            committee_id=item.committee_id,
            item=item,
            level=level,
            leader_title=leader_title,
            date=date,
            text=text.strip(),
            created_by=actor,
        )
        members = item_credits(item)
        share = share_of(len(members))
        for member in members:
            duty_record(
                member=member,
                kind=DutyKind.OPINION_INSTRUCTION,
                date=date,
                source=instruction,
                actor=actor,
                share=share,
                title=item.title,
            )
        label = f"{Level(level).label} {leader_title}"
        _log_on_reports(
            item,
            "instruction",
            actor,
            f"{label} {date:%Y-%m-%d}",
            _("A leader gave an instruction on your report: %(leader)s") % {"leader": label},
        )
        audit_log(
            action="opinions.instruction_record",
            actor=actor,
            request=request,
            obj=instruction,
            committee=item.committee,
        )
    return instruction


def instruction_withdraw(
    *, actor: Any, instruction: Instruction, reason: str, request: HttpRequest | None = None
) -> Instruction:
    """Withdraw an instruction recorded by mistake; its duty records are withdrawn too."""
    withdrawn: Instruction = _outcome_withdraw(
        Instruction,
        instruction,
        actor=actor,
        reason=reason,
        request=request,
        action="instruction_withdraw",
        already=_("This instruction has been withdrawn."),
        label=lambda i: i.leader_title,
        notice=lambda i: (
            _("An instruction on your report was withdrawn: %(leader)s")
            % {"leader": i.leader_title}
        ),
    )
    return withdrawn


def report_draft_create_from_public(
    *, committee: Committee, member: Member, title: str, body: str, actor: Any
) -> Report:
    """三听三转: staff turn citizens' messages into a report draft of
    ``member``'s; the member edits and submits it as their own."""
    if not (
        has_role(actor, committee, Role.STAFF, Area.PUBLIC)
        or has_role(actor, committee, Role.STAFF, Area.OPINIONS)
    ):
        raise PermissionDenied(_("Only office staff may turn messages into a report draft."))
    _check_text(committee, title, body)
    if member.committee_id != committee.pk or member.status != Member.Status.IN_OFFICE:
        raise ValidationFailed(_("Choose a member in office of this committee."))
    with transaction.atomic():
        report = Report.objects.create(
            committee=committee,
            author=member,
            create_token=uuid.uuid4(),
            title=title.strip(),
            text=body.strip(),
            submitter_kind=SubmitterKind.MEMBER,
        )
        ReportSubmitter.objects.create(report=report, member=member, order=0)
        _event(
            report,
            "created",
            actor,
            from_status=ReportStatus.DRAFT,
            note=_("Made from citizens' messages (三听三转)."),
        )
        notify(
            recipients=[member.person.user],
            title=_("A report draft from citizens' messages: %(title)s") % {"title": title},
            body=_("The office drafted it for you; edit it and submit it if you agree."),
            url=_report_url(report),
            committee=committee,
        )
    return report
