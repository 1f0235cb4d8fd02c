"""Terms, plenary sessions, sector clusters, sectors, special committees,
handling units, studios and stations: pages, forms and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from lvzhi.accounts.models import User
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.org import services
from lvzhi.org.models import (
    Committee,
    HandlingUnit,
    Member,
    PlenarySession,
    Sector,
    SectorCluster,
    SpecialCommittee,
    Station,
    Studio,
    Term,
)
from lvzhi.org.tests.factories import (
    HandlingUnitFactory,
    MemberFactory,
    PlenarySessionFactory,
    SectorClusterFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    StationFactory,
    StudioFactory,
    TermFactory,
)


@pytest.fixture
def staff(client: Client, staff_user: User) -> Client:
    client.force_login(staff_user)
    return client


def msg(text: str) -> str:
    return gettext(text)


def shown(response: Any, text: str) -> bool:
    return str(escape(text)) in response.content.decode()


TOO_LONG = "长" * 200


# --- Terms ---------------------------------------------------------------------------


def test_a_new_current_term_unmarks_the_old_one(
    staff: Client, member: Member, committee: Committee
) -> None:
    old = member.term
    response = staff.post(
        reverse("org:term_create"),
        {"number": 16, "name": "第十六届", "start_date": "2028-01-10", "is_current": "on"},
    )
    assert response.status_code == 302
    new = Term.objects.get(committee=committee, number=16)
    old.refresh_from_db()
    assert new.is_current and not old.is_current
    assert list(Term.objects.filter(committee=committee, is_current=True)) == [new]
    assert AuditEvent.objects.filter(action="term_created", object_id=str(new.pk)).exists()


def test_marking_an_old_term_current_again_unmarks_the_other(
    staff_user: User, member: Member, committee: Committee
) -> None:
    old = TermFactory(committee=committee, number=14, name="第十四届", is_current=False)
    services.term_update(
        actor=staff_user,
        term=old,
        number=14,
        name="第十四届",
        start_date=old.start_date,
        is_current=True,
    )
    member.term.refresh_from_db()
    assert not member.term.is_current
    assert Term.objects.get(pk=old.pk).is_current


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "number", "This field is required."),
        ({"number": "abc", "name": "x", "start_date": "2028-01-01"}, "number", None),
        ({"number": 16, "name": TOO_LONG, "start_date": "2028-01-01"}, "name", None),
        (
            {"number": 16, "name": "x", "start_date": "2028-01-01", "end_date": "2027-01-01"},
            "end_date",
            "The end date must be after the start date.",
        ),
        (
            {"number": 16, "name": "x", "start_date": "2028-01-01", "end_date": "2028-01-01"},
            "end_date",
            "The end date must be after the start date.",
        ),
        (
            {"number": "DUP", "name": "x", "start_date": "2028-01-01"},
            "number",
            "This committee already has a term with this number.",
        ),
    ],
)
def test_bad_term_input_is_refused_and_nothing_changes(
    staff: Client, member: Member, data: dict[str, Any], field: str, message: str | None
) -> None:
    if data.get("number") == "DUP":
        data = {**data, "number": member.term.number}
    before = Term.objects.count()
    response = staff.post(reverse("org:term_create"), data)
    assert response.status_code == 400  # refused: nothing written
    assert field in response.context["form"].errors
    if message:
        assert msg(message) in response.context["form"].errors[field]
        assert shown(response, msg(message))
    assert Term.objects.count() == before


def test_term_dates_cannot_leave_a_session_outside(staff_user: User, member: Member) -> None:
    PlenarySessionFactory(term=member.term)  # 2026-01-10 .. 2026-01-14
    with pytest.raises(ValidationFailed):
        services.term_update(
            actor=staff_user,
            term=member.term,
            number=member.term.number,
            name=member.term.name,
            start_date=member.term.start_date,
            end_date=dt.date(2025, 12, 31),
            is_current=True,
        )
    member.term.refresh_from_db()
    assert member.term.end_date is None


# --- Plenary sessions ----------------------------------------------------------------

SESSION = {
    "number": 3,
    "name": "十五届三次会议",
    "start_date": "2027-01-12",
    "end_date": "2027-01-16",
    "proposal_window_start": "2026-12-01",
    "proposal_window_end": "2027-01-14",
}


def test_a_plenary_session_is_added_to_a_term_with_its_proposal_window(
    staff: Client, member: Member
) -> None:
    response = staff.post(reverse("org:session_create", args=[member.term.pk]), SESSION)
    assert response.status_code == 302
    session = PlenarySession.objects.get(term=member.term, number=3)
    assert session.committee_id == member.committee_id
    assert session.year == 2027
    assert session.proposal_window_end == dt.date(2027, 1, 14)
    content = staff.get(reverse("org:structure")).content.decode()
    assert "十五届三次会议" in content and "2026-12-01" in content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2027-01-11"}, "The closing date cannot be before the opening date."),
        (
            {"proposal_window_end": "2027-01-20"},
            "The proposal window must close by the closing date of the session.",
        ),
        (
            {"proposal_window_start": "2027-01-15", "proposal_window_end": "2027-01-13"},
            "The proposal window must open before it closes.",
        ),
        (
            {"proposal_window_start": "2026-01-01"},
            "The proposal window may open at most 180 days before the session.",
        ),
        (
            {
                "start_date": "2022-01-01",
                "end_date": "2022-01-05",
                "proposal_window_start": "2021-12-01",
                "proposal_window_end": "2022-01-03",
            },
            "The session must take place within the dates of its term.",
        ),
        ({"number": "DUP"}, "This term already has a session with this number."),
        ({"start_date": "soon"}, None),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_session_input_is_refused_with_a_message_and_nothing_changes(
    staff: Client, member: Member, overrides: dict[str, Any], message: str | None
) -> None:
    existing = PlenarySessionFactory(term=member.term, number=1)
    if overrides.get("number") == "DUP":
        overrides = {"number": existing.number}
    before = PlenarySession.objects.count()
    response = staff.post(
        reverse("org:session_create", args=[member.term.pk]), {**SESSION, **overrides}
    )
    assert response.status_code == 400  # refused: nothing written
    form = response.context["form"]
    assert form.errors
    if message:
        assert shown(response, msg(message))
    assert PlenarySession.objects.count() == before


def test_a_session_is_edited(staff: Client, member: Member) -> None:
    session = PlenarySessionFactory(term=member.term, number=1)
    data = {**SESSION, "number": 1, "name": "十五届一次会议（改）"}
    assert staff.post(reverse("org:session_edit", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert session.name == "十五届一次会议（改）" and session.year == 2027


# --- Clusters, sectors, special committees ----------------------------------------------


def test_a_sector_cluster_is_created_and_renamed(staff: Client, committee: Committee) -> None:
    assert (
        staff.post(reverse("org:cluster_create"), {"name": "第一联组", "order": 1}).status_code
        == 302
    )
    cluster = SectorCluster.objects.get(committee=committee, name="第一联组")
    response = staff.post(
        reverse("org:cluster_edit", args=[cluster.pk]), {"name": "经济联组", "order": 1}
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.name == "经济联组"
    assert "经济联组" in staff.get(reverse("org:cluster_list")).content.decode()


@pytest.mark.parametrize(
    ("url_name", "model", "factory"),
    [
        ("cluster", SectorCluster, SectorClusterFactory),
        ("sector", Sector, SectorFactory),
        ("special_committee", SpecialCommittee, SpecialCommitteeFactory),
        ("unit", HandlingUnit, HandlingUnitFactory),
        ("studio", Studio, StudioFactory),
        ("station", Station, StationFactory),
    ],
)
def test_names_are_unique_per_committee_with_a_clear_message(
    staff: Client,
    committee: Committee,
    other_committee: Committee,
    url_name: str,
    model: Any,
    factory: Any,
) -> None:
    factory(committee=committee, name="重名")
    factory(committee=other_committee, name="别处同名")
    base = {"order": 0, "kind": HandlingUnit.Kind.GOVERNMENT}
    before = model.objects.count()
    response = staff.post(reverse(f"org:{url_name}_create"), {**base, "name": "重名"})
    assert response.status_code == 400  # refused: nothing written
    expected = msg("The name “%(name)s” is already used in this committee.") % {"name": "重名"}
    assert expected in response.context["form"].errors["name"]
    assert shown(response, expected)
    assert model.objects.count() == before
    # The same name in another committee is no clash.
    response = staff.post(reverse(f"org:{url_name}_create"), {**base, "name": "别处同名"})
    assert response.status_code == 302
    # Renaming onto a taken name is refused too.
    other = factory(committee=committee, name="另一个")
    response = staff.post(
        reverse(f"org:{url_name}_edit", args=[other.pk]), {**base, "name": "重名"}
    )
    assert response.status_code == 400  # refused: nothing written
    other.refresh_from_db()
    assert other.name == "另一个"


@pytest.mark.parametrize(
    "url_name", ["cluster", "sector", "special_committee", "unit", "studio", "station"]
)
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": TOO_LONG}, "name"),
        ({"name": "正常", "order": "first"}, "order"),
    ],
)
def test_empty_too_long_or_wrongly_typed_names_are_refused(
    staff: Client, url_name: str, data: dict[str, str], field: str
) -> None:
    if url_name in {"unit", "studio", "station"} and field == "order":
        data = {"name": "正常", "kind": "nonsense"}
        field = "kind" if url_name == "unit" else "members"
        if url_name != "unit":
            data = {"name": "正常", "members": ["abc"]}
    response = staff.post(reverse(f"org:{url_name}_create"), data)
    assert response.status_code == 400  # refused: nothing written
    assert field in response.context["form"].errors
    assert not AuditEvent.objects.filter(action__endswith="_created").exists()


def test_a_sector_gets_its_cluster_and_conveners_among_members_in_office(
    staff: Client, member: Member, committee: Committee
) -> None:
    cluster = SectorClusterFactory(committee=committee)
    response = staff.post(
        reverse("org:sector_create"),
        {"name": "科技界", "cluster": cluster.pk, "order": 3, "conveners": [member.pk]},
    )
    assert response.status_code == 302
    sector = Sector.objects.get(committee=committee, name="科技界")
    assert sector.cluster == cluster
    assert list(sector.conveners.all()) == [member]
    content = staff.get(reverse("org:sector_list")).content.decode()
    assert member.person.name in content


def test_a_sector_refuses_another_committees_cluster_or_members_and_members_out_of_office(
    staff: Client, member: Member, committee: Committee, other_committee: Committee
) -> None:
    foreign_cluster = SectorClusterFactory(committee=other_committee)
    foreign_member = MemberFactory(committee=other_committee)
    gone = MemberFactory(committee=committee, term=member.term, status=Member.Status.RESIGNED)
    cases = [
        ({"cluster": foreign_cluster.pk}, "cluster", "Choose a sector cluster of this committee."),
        (
            {"conveners": [foreign_member.pk]},
            "conveners",
            "Choose members of this committee in office.",
        ),
        ({"conveners": [gone.pk]}, "conveners", "Choose members of this committee in office."),
    ]
    for extra, field, message in cases:
        response = staff.post(reverse("org:sector_create"), {"name": "科技界", "order": 0, **extra})
        assert response.status_code == 400  # refused: nothing written
        assert msg(message) in response.context["form"].errors[field]
    assert not Sector.objects.filter(name="科技界").exists()


def test_sector_services_refuse_another_committees_cluster_and_members(
    staff_user: User, member: Member, committee: Committee, other_committee: Committee
) -> None:
    with pytest.raises(ValidationFailed):
        services.sector_create(
            actor=staff_user,
            committee=committee,
            name="科技界",
            cluster=SectorClusterFactory(committee=other_committee),
        )
    with pytest.raises(ValidationFailed):
        services.sector_create(
            actor=staff_user,
            committee=committee,
            name="科技界",
            conveners=[MemberFactory(committee=other_committee)],
        )
    with pytest.raises(Conflict):
        services.sector_create(actor=staff_user, committee=committee, name=member.sector.name)
    assert not Sector.objects.filter(name="科技界").exists()


def test_an_edit_keeps_a_convener_who_has_since_left_office(
    staff: Client, member: Member, committee: Committee
) -> None:
    sector = member.sector
    sector.conveners.add(member)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.RESIGNED)
    response = staff.post(
        reverse("org:sector_edit", args=[sector.pk]),
        {"name": sector.name, "order": 0, "conveners": [member.pk]},
    )
    assert response.status_code == 302
    assert list(sector.conveners.all()) == [member]


def test_a_special_committee_is_created_and_counts_members_in_office(
    staff: Client, member: Member, committee: Committee
) -> None:
    assert (
        staff.post(
            reverse("org:special_committee_create"), {"name": "提案委员会", "order": 1}
        ).status_code
        == 302
    )
    special = SpecialCommittee.objects.get(committee=committee, name="提案委员会")
    member.special_committees.add(special)
    response = staff.get(reverse("org:special_committee_list"))
    row = next(s for s in response.context["page_obj"] if s.pk == special.pk)
    assert row.member_count == 1


# --- Handling units ----------------------------------------------------------------------

UNIT = {
    "name": "示例市教育局",
    "kind": HandlingUnit.Kind.GOVERNMENT,
    "contact_name": "周联络",
    "contact_phone": "0571-8888 1234",
    "address": "示例路 1 号",
}


def test_a_handling_unit_is_created_with_its_contact(staff: Client, committee: Committee) -> None:
    response = staff.post(reverse("org:unit_create"), UNIT)
    unit = HandlingUnit.objects.get(committee=committee, name="示例市教育局")
    assert response["Location"] == reverse("org:unit_detail", args=[unit.pk])
    content = staff.get(response["Location"]).content.decode()
    assert "周联络" in content and "0571-8888 1234" in content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"contact_phone": "1" * 40}, "contact_phone"),
        ({"kind": "ministry"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"address": "路" * 201}, "address"),
    ],
)
def test_bad_unit_input_is_refused(
    staff: Client, committee: Committee, overrides: dict[str, str], field: str
) -> None:
    response = staff.post(reverse("org:unit_create"), {**UNIT, **overrides})
    assert response.status_code == 400  # refused: nothing written
    assert field in response.context["form"].errors
    assert not HandlingUnit.objects.filter(committee=committee).exists()


def test_units_are_filtered_by_kind_and_active(staff: Client, committee: Committee) -> None:
    gov = HandlingUnitFactory(committee=committee, name="住建局", kind=HandlingUnit.Kind.GOVERNMENT)
    court = HandlingUnitFactory(committee=committee, name="中级法院", kind=HandlingUnit.Kind.COURT)
    old = HandlingUnitFactory(committee=committee, name="已撤并局", is_active=False)
    url = reverse("org:unit_list")

    def names(**params: str) -> set[str]:
        content = staff.get(url, params).content.decode()
        return {u.name for u in (gov, court, old) if u.name in content}

    assert names() == {gov.name, court.name, old.name}
    assert names(kind=HandlingUnit.Kind.COURT) == {court.name}
    assert names(active="1") == {gov.name, court.name}
    assert names(active="0") == {old.name}
    assert names(q="法院") == {court.name}
    assert names(kind="bogus") == {gov.name, court.name, old.name}


def test_a_unit_is_deactivated_once_and_can_be_reactivated_by_edit(
    staff: Client, staff_user: User, committee: Committee
) -> None:
    unit = HandlingUnitFactory(committee=committee)
    url = reverse("org:unit_deactivate", args=[unit.pk])
    assert staff.post(url).status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active
    assert AuditEvent.objects.filter(action="unit_deactivated", actor=staff_user).count() == 1
    response = staff.post(url, follow=True)
    assert shown(response, msg("This has already been deactivated."))
    assert AuditEvent.objects.filter(action="unit_deactivated").count() == 1
    response = staff.post(
        reverse("org:unit_edit", args=[unit.pk]),
        {**UNIT, "name": unit.name, "kind": unit.kind, "is_active": "on"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.is_active


def test_the_unit_page_lists_the_accounts_acting_for_it(
    staff: Client, committee: Committee, make_user: Any
) -> None:
    from lvzhi.accounts.models import RoleAssignment

    unit = HandlingUnitFactory(committee=committee)
    user = make_user("unit", committee, display_name="承办联络员")
    RoleAssignment.objects.filter(user=user).update(unit=unit)
    content = staff.get(reverse("org:unit_detail", args=[unit.pk])).content.decode()
    assert "承办联络员" in content


# --- Studios and stations ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "leader", "extra"),
    [
        ("studio", "lead", {"theme": "法律服务", "venue": "示例街道", "opening_hours": "周三下午"}),
        (
            "station",
            "master",
            {"area": "东城街道", "address": "东城路 2 号", "instructor": "吴指导"},
        ),
    ],
)
def test_a_studio_or_station_is_created_with_members_in_office_and_a_leader_among_them(
    staff: Client,
    member: Member,
    committee: Committee,
    kind: str,
    leader: str,
    extra: dict[str, str],
) -> None:
    second = MemberFactory(committee=committee, term=member.term, person__name="郑第二")
    data = {"name": "示例点", leader: member.pk, "members": [member.pk, second.pk], **extra}
    response = staff.post(reverse(f"org:{kind}_create"), data)
    assert response.status_code == 302
    model = Studio if kind == "studio" else Station
    obj = model.objects.get(committee=committee, name="示例点")
    assert getattr(obj, f"{leader}_id") == member.pk
    assert set(obj.members.all()) == {member, second}
    content = staff.get(reverse(f"org:{kind}_detail", args=[obj.pk])).content.decode()
    assert member.person.name in content and second.person.name in content
    assert AuditEvent.objects.filter(action=f"{kind}_created").exists()


@pytest.mark.parametrize(
    ("kind", "leader", "message"),
    [
        ("studio", "lead", "The lead member must be one of the studio's members."),
        ("station", "master", "The station master must be one of the station's members."),
    ],
)
def test_the_leader_must_be_one_of_the_members(
    staff: Client, member: Member, committee: Committee, kind: str, leader: str, message: str
) -> None:
    second = MemberFactory(committee=committee, term=member.term)
    response = staff.post(
        reverse(f"org:{kind}_create"), {"name": "示例点", leader: member.pk, "members": [second.pk]}
    )
    assert response.status_code == 400  # refused: nothing written
    assert msg(message) in response.context["form"].errors[leader]
    assert not (Studio if kind == "studio" else Station).objects.exists()


@pytest.mark.parametrize("kind", ["studio", "station"])
def test_members_of_another_committee_or_out_of_office_are_refused(
    staff: Client,
    staff_user: User,
    member: Member,
    committee: Committee,
    other_committee: Committee,
    kind: str,
) -> None:
    foreign = MemberFactory(committee=other_committee)
    gone = MemberFactory(committee=committee, term=member.term, status=Member.Status.REMOVED)
    old_term = TermFactory(committee=committee, number=3, is_current=False)
    past = MemberFactory(committee=committee, term=old_term)
    for chosen in (foreign, gone, past):
        response = staff.post(
            reverse(f"org:{kind}_create"), {"name": "示例点", "members": [chosen.pk]}
        )
        assert response.status_code == 400  # refused: nothing written
        assert (
            msg("Choose members of this committee in office.")
            in response.context["form"].errors["members"]
        )
    assert not (Studio if kind == "studio" else Station).objects.exists()
    with pytest.raises(ValidationFailed):
        create = services.studio_create if kind == "studio" else services.station_create
        create(actor=staff_user, committee=committee, name="示例点", members=[foreign])


@pytest.mark.parametrize("kind", ["studio", "station"])
def test_a_studio_or_station_is_deactivated_and_the_list_filters_it(
    staff: Client, committee: Committee, kind: str
) -> None:
    factory = StudioFactory if kind == "studio" else StationFactory
    obj = factory(committee=committee, name="将停用")
    kept = factory(committee=committee, name="继续运行")
    assert staff.post(reverse(f"org:{kind}_deactivate", args=[obj.pk])).status_code == 302
    obj.refresh_from_db()
    assert not obj.is_active
    content = staff.get(reverse(f"org:{kind}_list"), {"active": "1"}).content.decode()
    assert kept.name in content and obj.name not in content
    assert AuditEvent.objects.filter(action=f"{kind}_deactivated").count() == 1


def test_editing_a_studio_keeps_a_member_who_has_since_left(
    staff: Client, member: Member, committee: Committee
) -> None:
    studio = StudioFactory(committee=committee, lead=member)
    studio.members.add(member)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.RESIGNED)
    response = staff.post(
        reverse("org:studio_edit", args=[studio.pk]),
        {"name": studio.name, "lead": member.pk, "members": [member.pk], "is_active": "on"},
    )
    assert response.status_code == 302
    assert list(studio.members.all()) == [member]


# --- Query counts -------------------------------------------------------------------------


def _fill(committee: Committee, member: Member, count: int) -> None:
    for _ in range(count):
        cluster = SectorClusterFactory(committee=committee)
        sector = SectorFactory(committee=committee, cluster=cluster)
        sector.conveners.add(member)
        SpecialCommitteeFactory(committee=committee).members.add(member)
        HandlingUnitFactory(committee=committee)
        studio = StudioFactory(committee=committee, lead=member)
        studio.members.add(member)
        station = StationFactory(committee=committee, master=member)
        station.members.add(member)


@pytest.mark.parametrize(
    "url_name",
    [
        "org:structure",
        "org:cluster_list",
        "org:sector_list",
        "org:special_committee_list",
        "org:unit_list",
        "org:studio_list",
        "org:station_list",
    ],
)
def test_structure_lists_cost_the_same_queries_for_few_and_many_rows(
    staff: Client, member: Member, committee: Committee, url_name: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(url_name)
    _fill(committee, member, 3)
    staff.get(url)
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    _fill(committee, member, 9)
    with CaptureQueriesContext(connection) as many:
        assert staff.get(url).status_code == 200
    assert len(many) == len(few) <= 15
