"""Members' drafts and their submission; staff's drafts from citizens' messages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.files import attachment_save
from lvzhi.core.notifications import notify
from lvzhi.core.permissions import require_perm
from lvzhi.core.workflow import transition
from lvzhi.duties.models import DutyKind
from lvzhi.opinions.models import Category, Report, ReportSubmitter, SubmitterKind
from lvzhi.opinions.services._common import (
    ATTACHMENT_PURPOSE,
    check_submitters,
    check_text,
    credit_members,
    history,
    lock_numbering,
    lock_report,
    notify_submitters,
    report_url,
)
from lvzhi.opinions.workflow import REPORT_FLOW
from lvzhi.org.models import Committee, Member, Sector, SpecialCommittee


def _draft_values(
    committee: Committee,
    author: Member,
    *,
    title: str,
    text: str,
    category: Category | None,
    submitter_kind: str,
    special_committee: SpecialCommittee | None,
    group_name: str,
) -> dict[str, Any]:
    """The checked fields of a draft, or ValidationFailed in Chinese."""
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
    return {
        "title": title.strip(),
        "text": text.strip(),
        "category": category,
        "submitter_kind": submitter_kind,
        "sector": sector,
        "special_committee": (
            special_committee if submitter_kind == SubmitterKind.SPECIAL_COMMITTEE else None
        ),
        "group_name": group_name if submitter_kind == SubmitterKind.GROUP else "",
    }


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
    if report is not None and report.author_id != author.pk:
        raise PermissionDenied(_("Only the author may change this draft."))
    # A new draft is checked as the report it will be: the actor must be its author.
    require_perm(
        actor, "opinions.edit_report", report or Report(committee=committee, author=author)
    )
    if report is None and token is not None:
        existing = Report.objects.filter(create_token=str(token), committee=committee).first()
        if existing is not None:
            if existing.author_id != author.pk:
                raise Conflict(_("This form was already used. Open a new one."))
            return existing
    check_text(committee, title, text)
    members = check_submitters(committee, author, co_submitters)
    values = _draft_values(
        committee,
        author,
        title=title,
        text=text,
        category=category,
        submitter_kind=submitter_kind,
        special_committee=special_committee,
        group_name=group_name,
    )
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
            history(report, "created", actor)
            audit_log(action="opinions.draft_create", obj=report, committee=committee)
        else:
            report = transition(report, "revise", actor=actor, changes=values)
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
    lock_numbering(committee)
    top = Report.objects.filter(committee=committee, year=year).aggregate(top=Max("serial"))["top"]
    return (top or 0) + 1


def report_submit(*, actor: Any, report: Report) -> Report:
    """Submit a draft: it gets its number, the original text is frozen and
    each submitter earns an ``opinion_submitted`` duty record (share 1/n).
    A second submit (double click, two tabs) is refused and changes nothing."""
    require_perm(actor, "opinions.submit_report", report)
    with transaction.atomic():
        locked = lock_report(report)
        if not REPORT_FLOW.allowed(locked, "submit"):
            # Only a draft may be submitted: any other state was submitted before.
            raise Conflict(_("This report has already been submitted."))
        check_text(locked.committee, locked.title, locked.text)
        members = [row.member for row in locked.submitter_rows.select_related("member__person")]
        check_submitters(locked.committee, locked.author, members)
        now = timezone.now()
        today = timezone.localdate(now)
        report = transition(
            report,
            "submit",
            actor=actor,
            changes={
                "year": today.year,
                "serial": _next_serial(locked.committee, today.year),
                "submitted_at": now,
            },
        )
        credit_members(
            members,
            kind=DutyKind.OPINION_SUBMITTED,
            date=today,
            source=report,
            actor=actor,
            title=report.title,
        )
        notify_submitters(
            report,
            actor,
            _("A public-opinion report naming you was submitted: %(title)s")
            % {"title": report.title},
        )
    return report


def report_draft_create_from_public(
    *, committee: Committee, member: Member, title: str, body: str, actor: Any
) -> Report:
    """三听三转: staff turn citizens' messages into a report draft of
    ``member``'s; the member edits and submits it as their own."""
    require_perm(
        actor,
        "opinions.create_draft_for_member",
        committee,
        message=_("Only office staff may turn messages into a report draft."),
    )
    check_text(committee, title, body)
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
        history(report, "created", actor, note=_("Made from citizens' messages (三听三转)."))
        audit_log(action="opinions.draft_for_member", obj=report, committee=committee)
        notify(
            recipients=[member.person.user],
            title=_("A report draft from citizens' messages: %(title)s") % {"title": title},
            body=_("The office drafted it for you; edit it and submit it if you agree."),
            url=report_url(report),
            committee=committee,
        )
    return report
