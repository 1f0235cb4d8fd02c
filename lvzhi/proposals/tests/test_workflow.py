"""The state table, every transition allowed and forbidden, with the timeline
and the audit trail asserted each time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from lvzhi.core.models import AuditEvent, Notification
from lvzhi.duties.models import DutyKind
from lvzhi.duties.selectors import records_of_source
from lvzhi.proposals import services, workflow
from lvzhi.proposals.models import (
    Assignment,
    CoSigner,
    Evaluation,
    PreContact,
    Proposal,
    ProposalEvent,
)
from lvzhi.proposals.tests.conftest import (
    World,
    assigned,
    draft,
    lead_assignment,
    registered,
    replied,
    submitted,
)

S = Proposal.Status


def in_state(world: World, state: str) -> Proposal:
    """A proposal brought to ``state`` through the services."""
    w = world
    if state == S.DRAFT:
        return draft(w)
    if state == S.WITHDRAWN:
        return services.proposal_withdraw(actor=w.proposer_user, proposal=draft(w))
    if state == S.SUBMITTED:
        return submitted(w)
    if state == S.RETURNED:
        return services.proposal_return(actor=w.staff, proposal=submitted(w), reason="请补充数据")
    if state == S.DECLINED:
        return services.proposal_decline(actor=w.staff, proposal=submitted(w), ground=w.ground)
    if state == S.MERGED:
        target = registered(w, title="合并目标")
        return services.proposal_merge(actor=w.staff, proposal=submitted(w), into=target)
    if state == S.REGISTERED:
        return registered(w)
    if state == S.ASSIGNED:
        return assigned(w)
    if state == S.IN_HANDLING:
        proposal = assigned(w)
        services.assignment_accept(actor=w.lead_user, assignment=lead_assignment(proposal))
        proposal.refresh_from_db()
        return proposal
    if state == S.REPLIED:
        return replied(w)
    if state in (S.REHANDLING, S.EVALUATED, S.CLOSED):
        proposal = replied(w)
        result = "dissatisfied" if state == S.REHANDLING else "satisfied"
        services.proposal_evaluate(
            actor=w.proposer_user,
            proposal=proposal,
            contact="satisfied",
            attitude="satisfied",
            result=result,
        )
        if state == S.CLOSED:
            services.proposal_close(actor=w.staff, proposal=proposal)
        proposal.refresh_from_db()
        return proposal
    raise AssertionError(state)


def _lead(proposal: Proposal) -> Assignment | None:
    return proposal.assignments.filter(role="lead").first()


def _reply(w: World, p: Proposal) -> Any:
    assignment = _lead(p)
    assert assignment is not None
    if not assignment.contacts.exists():
        PreContact.objects.create(
            assignment=assignment, date=timezone.localdate(), way="phone", summary="沟通"
        )
    return services.assignment_reply(
        actor=w.lead_user, assignment=assignment, text="答复", reply_class="A"
    )


ACTIONS: dict[str, Callable[[World, Proposal], Any]] = {
    "submit": lambda w, p: services.proposal_submit(actor=w.proposer_user, proposal=p),
    "withdraw": lambda w, p: services.proposal_withdraw(actor=w.proposer_user, proposal=p),
    "register": lambda w, p: services.proposal_register(actor=w.staff, proposal=p),
    "decline": lambda w, p: services.proposal_decline(actor=w.staff, proposal=p, ground=w.ground),
    "return": lambda w, p: services.proposal_return(actor=w.staff, proposal=p, reason="请修改"),
    "merge": lambda w, p: services.proposal_merge(
        actor=w.staff, proposal=p, into=registered(w, title="另一件提案")
    ),
    "assign": lambda w, p: services.proposal_assign(actor=w.staff, proposal=p, lead=w.lead_unit),
    "accept": lambda w, p: services.assignment_accept(actor=w.lead_user, assignment=_lead(p)),
    "reply": _reply,
    "evaluate": lambda w, p: services.proposal_evaluate(
        actor=w.proposer_user,
        proposal=p,
        contact="satisfied",
        attitude="satisfied",
        result="basic",
    ),
    "evaluate_dissatisfied": lambda w, p: services.proposal_evaluate(
        actor=w.proposer_user,
        proposal=p,
        contact="basic",
        attitude="basic",
        result="dissatisfied",
    ),
    "close": lambda w, p: services.proposal_close(actor=w.staff, proposal=p),
}
NEEDS_ASSIGNMENT = {"accept", "reply"}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_in_every_state_follows_the_table(
    world: World, state: str, action: str
) -> None:
    proposal = in_state(world, state)
    assert proposal.status == state
    row = workflow.PROPOSAL_FLOW.find(state, action)
    expected = row.target if row is not None else None
    if action in NEEDS_ASSIGNMENT and _lead(proposal) is None:
        assert expected is None  # no unit to act: the table must not allow it either
        return
    events = ProposalEvent.objects.filter(proposal=proposal).count()
    audits = AuditEvent.objects.filter(
        object_id=str(proposal.pk), object_type="proposals.proposal"
    ).count()
    if expected is None:
        with pytest.raises(DomainError):
            ACTIONS[action](world, proposal)
        proposal.refresh_from_db()
        assert proposal.status == state
        assert ProposalEvent.objects.filter(proposal=proposal).count() == events
        assert (
            AuditEvent.objects.filter(
                object_id=str(proposal.pk), object_type="proposals.proposal"
            ).count()
            == audits
        )
        return
    ACTIONS[action](world, proposal)
    proposal.refresh_from_db()
    assert proposal.status == expected
    last = ProposalEvent.objects.filter(proposal=proposal).order_by("-id").first()
    assert last is not None
    assert (last.from_state, last.to_state, last.action) == (state, expected, action)
    assert AuditEvent.objects.filter(
        object_type="proposals.proposal", object_id=str(proposal.pk), action=f"proposal.{action}"
    ).exists()


def test_the_table_names_the_permission_of_each_transition() -> None:
    flow = workflow.PROPOSAL_FLOW
    found = flow.find(S.SUBMITTED, "register")
    assert found is not None and found.permission == "proposals.register_proposal"
    assert flow.find(S.DRAFT, "register") is None
    assert all(row.permission.startswith("proposals.") for _state, row in flow.rows())


# --- Wrong role, wrong committee, wrong unit ------------------------------------------


def test_only_the_lead_proposer_submits_edits_and_withdraws(world: World) -> None:
    proposal = draft(world)
    for actor in (world.cosigner_user, world.staff, world.leader, world.lead_user):
        with pytest.raises(PermissionDenied):
            services.proposal_submit(actor=actor, proposal=proposal)
        with pytest.raises(PermissionDenied):
            services.proposal_withdraw(actor=actor, proposal=proposal)
        with pytest.raises(PermissionDenied):
            draft(world, proposal=proposal, actor=actor, title="改")
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT and proposal.title != "改"


@pytest.mark.parametrize(
    "call",
    [
        lambda w, p, a: services.proposal_register(actor=a, proposal=p),
        lambda w, p, a: services.proposal_decline(actor=a, proposal=p, ground=w.ground),
        lambda w, p, a: services.proposal_return(actor=a, proposal=p, reason="x"),
    ],
)
def test_only_the_proposal_office_of_the_committee_reviews(world: World, call: Any) -> None:
    proposal = submitted(world)
    for actor in (world.proposer_user, world.leader, world.lead_user, world.other_staff):
        with pytest.raises(PermissionDenied):
            call(world, proposal, actor)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED and proposal.number is None


def test_staff_of_another_area_cannot_review(world: World, make_user: Any) -> None:
    opinions_staff = make_user("staff", world.committee, "opinions")
    with pytest.raises(PermissionDenied):
        services.proposal_register(actor=opinions_staff, proposal=submitted(world))


def test_a_wrong_unit_cannot_act_on_an_assignment(world: World) -> None:
    proposal = assigned(world)
    lead = lead_assignment(proposal)
    co = proposal.assignments.get(role="co")
    with pytest.raises(PermissionDenied):
        services.assignment_accept(actor=world.other_unit_user, assignment=lead)
    with pytest.raises(PermissionDenied):
        services.assignment_accept(actor=world.co_user, assignment=lead)  # co-unit, not its own
    with pytest.raises(PermissionDenied):
        services.assignment_accept(actor=world.co_user, assignment=co)  # co-units don't accept
    with pytest.raises(PermissionDenied):
        services.assignment_co_opinion(actor=world.lead_user, assignment=co, text="意见")
    with pytest.raises(PermissionDenied):
        services.assignment_precontact(
            actor=world.other_unit_user,
            assignment=lead,
            when=timezone.localdate(),
            way="phone",
            summary="x",
        )
    proposal.refresh_from_db()
    assert proposal.status == S.ASSIGNED
    assert not PreContact.objects.exists()


def test_units_and_categories_of_another_committee_are_refused(world: World) -> None:
    from lvzhi.org.tests.factories import HandlingUnitFactory
    from lvzhi.proposals.models import ProposalCategory

    foreign_unit = HandlingUnitFactory(committee=world.other_committee)
    proposal = registered(world)
    with pytest.raises(ValidationFailed):
        services.proposal_assign(actor=world.staff, proposal=proposal, lead=foreign_unit)
    assert not Assignment.objects.filter(proposal=proposal).exists()
    foreign_category = ProposalCategory.objects.filter(committee=world.other_committee).first()
    with pytest.raises(ValidationFailed):
        draft(world, category=foreign_category)


# --- Submission rules ----------------------------------------------------------------------


def test_a_joint_proposal_waits_for_every_co_signer(world: World) -> None:
    proposal = draft(world, kind="joint", cosigners=[world.cosigner, world.cosigner2])
    assert Notification.objects.filter(recipient=world.cosigner_user).exists()
    with pytest.raises(ValidationFailed):
        services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    services.cosigner_answer(actor=world.cosigner_user, proposal=proposal, confirm=True)
    with pytest.raises(ValidationFailed):
        services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    services.cosigner_answer(actor=world.cosigner2_user, proposal=proposal, confirm=False)
    services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    actions = list(proposal.events.values_list("action", flat=True))
    assert actions == ["create", "cosign_answer", "cosign_answer", "submit"]


def test_a_stranger_cannot_answer_a_co_sign_invitation(world: World) -> None:
    proposal = draft(world, kind="joint", cosigners=[world.cosigner])
    with pytest.raises(PermissionDenied):
        services.cosigner_answer(actor=world.cosigner2_user, proposal=proposal, confirm=True)
    assert CoSigner.objects.get().state == CoSigner.State.INVITED


def test_co_signers_must_sit_on_the_same_committee(world: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        draft(world, kind="joint", cosigners=[world.other_member])
    assert "委员" in str(error.value) or "committee" in str(error.value)
    assert not Proposal.objects.exists()


def test_plenary_proposals_only_inside_the_window(world: World) -> None:
    proposal = draft(world, session=world.session)
    with pytest.raises(ValidationFailed):
        services.proposal_submit(
            actor=world.proposer_user, proposal=proposal, today=dt.date(2026, 1, 14)
        )
    with pytest.raises(ValidationFailed):
        services.proposal_submit(
            actor=world.proposer_user, proposal=proposal, today=dt.date(2025, 12, 19)
        )
    services.proposal_submit(
        actor=world.proposer_user, proposal=proposal, today=dt.date(2026, 1, 13)
    )
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED and proposal.is_plenary


def test_submit_needs_reason_suggestions_and_category(world: World) -> None:
    proposal = draft(world, reason="", suggestions="", category=None)
    with pytest.raises(ValidationFailed) as error:
        services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    assert len(error.value.errors) == 3
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT


def test_the_same_new_draft_form_posted_twice_creates_one_draft(world: World) -> None:
    import uuid

    token = uuid.uuid4()
    first = draft(world, token=token)
    second = draft(world, token=token)
    assert first.pk == second.pk
    assert Proposal.objects.count() == 1


# --- Numbers, duty records, merge and convert ----------------------------------------


def test_registration_numbers_are_consecutive_per_term(world: World) -> None:
    numbers = [registered(world, title=f"提案{i}").number for i in range(3)]
    assert numbers == [1, 2, 3]
    proposal = Proposal.objects.get(number=2)
    assert proposal.number_label == "第0002号"


def test_duty_records_for_filing_registration_key_and_excellence(world: World) -> None:
    proposal = draft(world, kind="joint", cosigners=[world.cosigner, world.cosigner2])
    services.cosigner_answer(actor=world.cosigner_user, proposal=proposal, confirm=True)
    services.cosigner_answer(actor=world.cosigner2_user, proposal=proposal, confirm=True)
    services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    filed = {
        (r.member_id, str(r.share))
        for r in records_of_source(proposal).filter(kind=DutyKind.PROPOSAL_FILED)
    }
    assert filed == {
        (world.proposer.pk, "1.0000"),
        (world.cosigner.pk, "0.5000"),
        (world.cosigner2.pk, "0.5000"),
    }
    services.proposal_register(actor=world.staff, proposal=proposal)
    registered_rows = records_of_source(proposal).filter(kind=DutyKind.PROPOSAL_REGISTERED)
    assert [r.member_id for r in registered_rows] == [world.proposer.pk]
    services.proposal_mark_key(actor=world.leader, proposal=proposal, supervisor=world.leader)
    assert records_of_source(proposal).filter(kind=DutyKind.PROPOSAL_KEY).count() == 1
    services.proposal_mark_key(actor=world.leader, proposal=proposal, supervisor=None, is_key=False)
    assert (
        not records_of_source(proposal)
        .filter(kind=DutyKind.PROPOSAL_KEY, withdrawn_at__isnull=True)
        .exists()
    )
    year = timezone.localdate().year
    services.excellent_select(actor=world.staff, proposal=proposal, year=year)
    assert records_of_source(proposal).filter(kind=DutyKind.PROPOSAL_EXCELLENT).count() == 3
    services.excellent_publish(actor=world.staff, committee=world.committee, year=year)
    with pytest.raises(Conflict):
        services.excellent_select(actor=world.staff, proposal=proposal, year=year, selected=False)


def test_withdrawing_a_submitted_proposal_withdraws_its_duty_records(world: World) -> None:
    proposal = submitted(world)
    assert records_of_source(proposal).filter(withdrawn_at__isnull=True).count() == 1
    services.proposal_withdraw(actor=world.proposer_user, proposal=proposal, reason="重复")
    assert records_of_source(proposal).filter(withdrawn_at__isnull=True).count() == 0


def test_merge_credits_the_proposers_of_both(world: World) -> None:
    target = registered(world, title="关于校园安全的建议")
    other = submitted(world, title="关于校门口交通的建议", actor=world.cosigner_user)
    services.proposal_merge(actor=world.staff, proposal=other, into=target, note="内容相近")
    other.refresh_from_db()
    assert other.status == S.MERGED and other.merged_into == target
    assert (
        records_of_source(other)
        .filter(kind=DutyKind.PROPOSAL_REGISTERED, member=world.cosigner)
        .exists()
    )
    assert (
        records_of_source(target)
        .filter(kind=DutyKind.PROPOSAL_REGISTERED, member=world.proposer)
        .exists()
    )
    assert target.events.filter(action="merge_in").exists()
    assert AuditEvent.objects.filter(action="proposal.merge", object_id=str(other.pk)).exists()


def test_merge_refuses_an_unregistered_target(world: World) -> None:
    a, b = submitted(world, title="甲"), submitted(world, title="乙")
    with pytest.raises(ValidationFailed):
        services.proposal_merge(actor=world.staff, proposal=a, into=b)
    a.refresh_from_db()
    assert a.status == S.SUBMITTED


def test_decline_with_conversion_into_a_suggestion_letter(world: World) -> None:
    proposal = submitted(world)
    services.proposal_decline(
        actor=world.staff,
        proposal=proposal,
        ground=world.ground,
        note="建议转有关部门参考",
        letter_unit=world.lead_unit,
    )
    proposal.refresh_from_db()
    assert proposal.status == S.DECLINED
    assert proposal.letter_unit == world.lead_unit
    assert list(proposal.events.values_list("action", flat=True))[-2:] == ["decline", "convert"]
    assert Notification.objects.filter(recipient=world.lead_user).exists()
    assert AuditEvent.objects.filter(action="proposal.convert").exists()
    with pytest.raises(Conflict):
        services.proposal_convert(actor=world.staff, proposal=proposal, unit=world.co_unit)


def test_a_declined_proposal_can_be_converted_later(world: World) -> None:
    proposal = services.proposal_decline(
        actor=world.staff, proposal=submitted(world), ground=world.ground
    )
    services.proposal_convert(actor=world.staff, proposal=proposal, unit=world.co_unit)
    proposal.refresh_from_db()
    assert proposal.letter_unit == world.co_unit


def test_returned_proposal_is_edited_and_submitted_again(world: World) -> None:
    proposal = submitted(world)
    services.proposal_return(actor=world.staff, proposal=proposal, reason="请补充建议的可行性")
    draft(world, proposal=proposal, suggestions="补充后的建议")
    services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED and proposal.suggestions == "补充后的建议"
    assert records_of_source(proposal).filter(kind=DutyKind.PROPOSAL_FILED).count() == 1


# --- Handling and evaluation -----------------------------------------------------------


def test_reply_needs_a_precontact_first(world: World) -> None:
    proposal = assigned(world)
    assignment = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=assignment)
    with pytest.raises(ValidationFailed):
        services.assignment_reply(
            actor=world.lead_user, assignment=assignment, text="答复", reply_class="A"
        )
    assert not assignment.replies.exists()


def test_the_co_units_part_ends_with_the_lead_units_reply(world: World) -> None:
    proposal = replied(world)
    co = proposal.assignments.get(role="co")
    assert co.state == Assignment.State.REPLIED and co.replied_on is not None


def test_co_unit_opinion_reaches_the_lead_unit(world: World) -> None:
    proposal = assigned(world)
    co = proposal.assignments.get(role="co")
    services.assignment_co_opinion(
        actor=world.co_user, assignment=co, text="财政局意见：可纳入预算"
    )
    assert co.opinions.count() == 1
    assert Notification.objects.filter(recipient=world.lead_user, title__contains="测试市财政局")


def test_split_handling_is_replied_when_every_unit_replied(world: World) -> None:
    proposal = registered(world)
    services.proposal_assign(
        actor=world.staff, proposal=proposal, split_units=[world.lead_unit, world.co_unit]
    )
    for user, unit in ((world.lead_user, world.lead_unit), (world.co_user, world.co_unit)):
        a = proposal.assignments.get(unit=unit)
        services.assignment_accept(actor=user, assignment=a)
        services.assignment_precontact(
            actor=user, assignment=a, when=timezone.localdate(), way="visit", summary="走访"
        )
        services.assignment_reply(actor=user, assignment=a, text="分办答复", reply_class="B")
        proposal.refresh_from_db()
        expected = S.IN_HANDLING if unit == world.lead_unit else S.REPLIED
        assert proposal.status == expected
    assert proposal.events.filter(action="split_reply").count() == 1


def test_dissatisfied_sends_it_back_for_rehandling_with_a_new_deadline(world: World) -> None:
    proposal = replied(world)
    assignment = lead_assignment(proposal)
    services.proposal_evaluate(
        actor=world.proposer_user,
        proposal=proposal,
        contact="satisfied",
        attitude="basic",
        result="dissatisfied",
        comments="未解决实际问题",
    )
    proposal.refresh_from_db()
    assignment.refresh_from_db()
    assert proposal.status == S.REHANDLING and proposal.round == 2
    assert assignment.state == Assignment.State.ACTIVE
    assert assignment.reply_due == workflow.add_months(timezone.localdate(), 1)
    assert Notification.objects.filter(recipient=world.lead_user, title__contains="2").exists()
    # The unit replies again; the second evaluation ends the chain even if dissatisfied.
    services.assignment_reply(
        actor=world.lead_user, assignment=assignment, text="再次答复", reply_class="A"
    )
    proposal.refresh_from_db()
    assert proposal.status == S.REPLIED
    assert assignment.replies.filter(round=2).exists()
    services.proposal_evaluate(
        actor=world.proposer_user,
        proposal=proposal,
        contact="basic",
        attitude="basic",
        result="dissatisfied",
    )
    proposal.refresh_from_db()
    assert proposal.status == S.EVALUATED
    services.proposal_close(actor=world.staff, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.CLOSED
    assert list(proposal.evaluations.values_list("round", "result")) == [
        (1, "dissatisfied"),
        (2, "dissatisfied"),
    ]


def test_co_signers_evaluate_too_but_the_lead_decides(world: World) -> None:
    proposal = draft(world, kind="joint", cosigners=[world.cosigner])
    services.cosigner_answer(actor=world.cosigner_user, proposal=proposal, confirm=True)
    services.proposal_submit(actor=world.proposer_user, proposal=proposal)
    services.proposal_register(actor=world.staff, proposal=proposal)
    services.proposal_assign(actor=world.staff, proposal=proposal, lead=world.lead_unit)
    _reply_chain(world, proposal)
    services.proposal_evaluate(
        actor=world.cosigner_user,
        proposal=proposal,
        contact="satisfied",
        attitude="satisfied",
        result="dissatisfied",
    )
    proposal.refresh_from_db()
    assert proposal.status == S.REPLIED
    with pytest.raises(Conflict):
        services.proposal_evaluate(
            actor=world.cosigner_user,
            proposal=proposal,
            contact="satisfied",
            attitude="satisfied",
            result="satisfied",
        )
    with pytest.raises(PermissionDenied):
        services.proposal_evaluate(
            actor=world.cosigner2_user,
            proposal=proposal,
            contact="satisfied",
            attitude="satisfied",
            result="satisfied",
        )


def _reply_chain(world: World, proposal: Proposal) -> None:
    a = lead_assignment(proposal)
    services.assignment_accept(actor=world.lead_user, assignment=a)
    services.assignment_precontact(
        actor=world.lead_user, assignment=a, when=timezone.localdate(), way="phone", summary="x"
    )
    services.assignment_reply(actor=world.lead_user, assignment=a, text="答复", reply_class="A")
    proposal.refresh_from_db()


def test_staff_review_changes_the_class_with_a_reason(world: World) -> None:
    proposal = replied(world, reply_class="A")
    reply = lead_assignment(proposal).replies.get()
    with pytest.raises(ValidationFailed):
        services.reply_review(actor=world.staff, reply=reply, reply_class="B", reason="")
    with pytest.raises(PermissionDenied):
        services.reply_review(actor=world.lead_user, reply=reply, reply_class="B", reason="x")
    services.reply_review(actor=world.staff, reply=reply, reply_class="B", reason="尚在解决中")
    reply.refresh_from_db()
    assert (reply.reply_class, reply.unit_class) == ("B", "A")
    assert (reply.class_label, reply.solved) == ("B类（正在解决或列入计划）", False)
    assert proposal.events.filter(
        action="review_reply", note__contains="A类（已解决或采纳） → B类（正在解决或列入计划）"
    ).exists()


def test_extension_is_approved_up_to_six_months(world: World) -> None:
    proposal = assigned(world)
    a = lead_assignment(proposal)
    limit = workflow.extension_limit(a.assigned_on)
    with pytest.raises(ValidationFailed):
        services.extension_request(
            actor=world.lead_user,
            assignment=a,
            requested_due=limit + dt.timedelta(days=1),
            reason="需协调多部门",
        )
    request = services.extension_request(
        actor=world.lead_user, assignment=a, requested_due=limit, reason="需协调多部门"
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=world.lead_user, request=request, approve=True)
    services.extension_decide(actor=world.staff, request=request, approve=True)
    a.refresh_from_db()
    assert a.extended_due == limit and a.due == limit
    assert proposal.events.filter(action="decide_extension").exists()


def test_reassignment_within_ten_working_days_sends_it_back_to_the_office(world: World) -> None:
    proposal = assigned(world)
    a = lead_assignment(proposal)
    with pytest.raises(ValidationFailed):
        services.reassignment_request(
            actor=world.lead_user,
            assignment=a,
            reason="不属本单位职责",
            today=a.reassignment_due + dt.timedelta(days=1),
        )
    request = services.reassignment_request(
        actor=world.lead_user, assignment=a, reason="不属本单位职责", today=a.reassignment_due
    )
    services.reassignment_decide(actor=world.staff, request=request, approve=True)
    proposal.refresh_from_db()
    assert proposal.status == S.REGISTERED
    assert not proposal.assignments.filter(state=Assignment.State.ACTIVE).exists()
    last = proposal.events.order_by("-id").first()
    assert last is not None and last.action == "reassign"
    services.proposal_assign(actor=world.staff, proposal=proposal, lead=world.other_unit)
    proposal.refresh_from_db()
    assert proposal.status == S.ASSIGNED


def test_a_co_unit_relieved_leaves_the_lead_handling(world: World) -> None:
    proposal = assigned(world)
    co = proposal.assignments.get(role="co")
    request = services.reassignment_request(actor=world.co_user, assignment=co, reason="无关")
    services.reassignment_decide(actor=world.staff, request=request, approve=True)
    proposal.refresh_from_db()
    co.refresh_from_db()
    assert proposal.status == S.ASSIGNED and co.state == Assignment.State.WITHDRAWN


def test_the_unit_rates_the_proposal_once(world: World) -> None:
    proposal = replied(world)
    a = lead_assignment(proposal)
    services.quality_rate(actor=world.lead_user, assignment=a, rating="good", comments="调研扎实")
    with pytest.raises(Conflict):
        services.quality_rate(actor=world.lead_user, assignment=a, rating="poor")


def test_only_leaders_mark_key_proposals_with_a_leader_as_supervisor(world: World) -> None:
    proposal = assigned(world)
    with pytest.raises(PermissionDenied):
        services.proposal_mark_key(actor=world.staff, proposal=proposal, supervisor=world.leader)
    with pytest.raises(ValidationFailed):
        services.proposal_mark_key(actor=world.leader, proposal=proposal, supervisor=world.staff)
    services.proposal_mark_key(actor=world.leader, proposal=proposal, supervisor=world.leader)
    proposal.refresh_from_db()
    assert proposal.is_key and proposal.supervisor == world.leader
    note = services.supervision_note_add(actor=world.leader, proposal=proposal, text="请加快办理")
    assert note.pk
    assert Notification.objects.filter(recipient=world.lead_user, body="请加快办理").exists()
    assert Notification.objects.filter(recipient=world.co_user, body="请加快办理").exists()


def test_not_evaluated_after_the_window(world: World) -> None:
    proposal = replied(world)
    assert proposal.evaluation_due == workflow.evaluation_due(timezone.localdate())
    assert services.evaluations_expire(today=proposal.evaluation_due) == 0
    assert services.evaluations_expire(today=proposal.evaluation_due + dt.timedelta(days=1)) == 1
    proposal.refresh_from_db()
    assert proposal.status == S.EVALUATED
    evaluation = Evaluation.objects.get(proposal=proposal)
    assert evaluation.not_evaluated and evaluation.result == ""
    last = proposal.events.order_by("-id").first()
    assert last is not None and last.action == "not_evaluated" and last.actor is None
