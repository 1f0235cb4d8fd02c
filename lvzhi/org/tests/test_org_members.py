"""The member pages and services: list, search, forms, masking, reveal, profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from lvzhi.accounts.models import Area, Role, User
from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core import crypto
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.models import AuditEvent
from lvzhi.org import services
from lvzhi.org.models import Committee, Member, Party, Person, Term
from lvzhi.org.tests.factories import (
    MemberFactory,
    PersonFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    StationFactory,
    StudioFactory,
    TermFactory,
)
from lvzhi.org.validators import make_id_number

MOBILE = "13800138000"
ID_NUMBER = "11010519491231002X"
# A valid ID number of a man born on 1980-02-03.
NEW_ID = make_id_number("11010119800203001")
NEW_MOBILE = "13912345678"


@pytest.fixture
def staff(client: Client, staff_user: User) -> Client:
    client.force_login(staff_user)
    return client


@pytest.fixture
def leader_client(client: Client, make_user: Callable[..., User], committee: Committee) -> Client:
    client.force_login(make_user(Role.LEADER, committee))
    return client


def form_data(member: Member, **overrides: Any) -> dict[str, Any]:
    """A valid new-member form for the member's committee and term."""
    data = {
        "name": "林晓川",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": "1980-02-03",
        "party": Party.CDL,
        "education": "master",
        "employer": "示例大学",
        "job_title": "教授",
        "mobile": NEW_MOBILE,
        "id_number": NEW_ID,
        "term": member.term_id,
        "sector": member.sector_id,
        "position": Member.Position.MEMBER,
        "special_committees": [],
        "start_date": "2023-01-10",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def msg(text: str, **values: Any) -> str:
    """The message as the page shows it (translated when the catalogue has it)."""
    message = gettext(text)
    return message % values if values else message


def html(text: str) -> str:
    """Escape like the template engine does."""
    from django.utils.html import escape

    return str(escape(text))


# --- List, search, filters ----------------------------------------------------------


def test_the_list_shows_members_of_the_current_term_with_masked_mobiles(
    staff: Client, member: Member
) -> None:
    response = staff.get(reverse("org:member_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert member.person.name in content
    assert "138****8000" in content
    assert MOBILE not in content
    assert ID_NUMBER not in content


def test_the_list_defaults_to_the_current_term_and_can_show_every_term(
    staff: Client, member: Member, committee: Committee
) -> None:
    old_term = TermFactory(committee=committee, number=14, name="第十四届", is_current=False)
    old = MemberFactory(committee=committee, term=old_term, person__name="往届委员甲")
    content = staff.get(reverse("org:member_list")).content.decode()
    assert member.person.name in content
    assert old.person.name not in content
    content = staff.get(reverse("org:member_list"), {"term": ""}).content.decode()
    assert old.person.name in content and member.person.name in content
    content = staff.get(reverse("org:member_list"), {"term": old_term.pk}).content.decode()
    assert old.person.name in content and member.person.name not in content


def test_search_finds_by_part_of_the_name_and_by_whole_numbers_only(
    staff: Client, member: Member, committee: Committee
) -> None:
    other = MemberFactory(committee=committee, term=member.term, person__name="赵一鸣")
    url = reverse("org:member_list")

    def names(query: str) -> set[str]:
        content = staff.get(url, {"q": query}).content.decode()
        return {n for n in (member.person.name, other.person.name) if n in content}

    assert names("一鸣") == {other.person.name}
    assert names(MOBILE) == {member.person.name}
    assert names(ID_NUMBER.lower()) == {member.person.name}
    assert names("138 0013-8000") == {member.person.name}
    assert names("13800") == set()  # numbers are hashed: no partial match


def test_filters_narrow_the_list_in_sql(
    staff: Client, member: Member, committee: Committee
) -> None:
    special = SpecialCommitteeFactory(committee=committee, name="提案委员会")
    sector = SectorFactory(committee=committee, name="经济界")
    chair = MemberFactory(
        committee=committee,
        term=member.term,
        sector=sector,
        position=Member.Position.VICE_CHAIR,
        person__name="钱副主席",
        person__party=Party.CPC,
    )
    chair.special_committees.add(special)
    gone = MemberFactory(
        committee=committee,
        term=member.term,
        status=Member.Status.RESIGNED,
        person__name="孙已辞职",
    )
    url = reverse("org:member_list")
    everyone = {member.person.name, chair.person.name, gone.person.name}

    def names(**params: Any) -> set[str]:
        content = staff.get(url, params).content.decode()
        return {n for n in everyone if n in content}

    assert names() == everyone
    assert names(sector=sector.pk) == {chair.person.name}
    assert names(special_committee=special.pk) == {chair.person.name}
    assert names(position=Member.Position.VICE_CHAIR) == {chair.person.name}
    assert names(party=Party.CPC) == {chair.person.name}
    assert names(status=Member.Status.RESIGNED) == {gone.person.name}
    assert names(status=Member.Status.IN_OFFICE) == {member.person.name, chair.person.name}


def test_a_filter_value_of_another_committee_is_ignored(
    staff: Client, member: Member, other_committee: Committee
) -> None:
    foreign = SectorFactory(committee=other_committee)
    response = staff.get(reverse("org:member_list"), {"sector": foreign.pk, "term": "abc"})
    assert response.status_code == 200
    assert member.person.name in response.content.decode()


def test_the_list_is_paginated_by_25(staff: Client, member: Member, committee: Committee) -> None:
    MemberFactory.create_batch(30, committee=committee, term=member.term, sector=member.sector)
    response = staff.get(reverse("org:member_list"))
    assert len(response.context["page_obj"].object_list) == 25
    response = staff.get(reverse("org:member_list"), {"page": 2})
    assert len(response.context["page_obj"].object_list) == 6


def _bulk_members(committee: Committee, term: Term, count: int, start: int) -> None:
    """Rows straight into the tables: fast enough for 5,000."""
    sectors = [SectorFactory(committee=committee) for _ in range(3)]
    specials = [SpecialCommitteeFactory(committee=committee) for _ in range(2)]
    mobile_token = crypto.encrypt(NEW_MOBILE)
    persons = Person.objects.bulk_create(
        Person(
            name=f"批量委员{start + i}",
            gender="F",
            party=Party.NONPARTY,
            mobile_encrypted=mobile_token,
            mobile_hash=crypto.blind_index(NEW_MOBILE),
        )
        for i in range(count)
    )
    members = Member.objects.bulk_create(
        Member(
            committee=committee,
            term=term,
            person=person,
            sector=sectors[i % 3],
            start_date=dt.date(2023, 1, 10),
        )
        for i, person in enumerate(persons)
    )
    through = Member.special_committees.through
    through.objects.bulk_create(
        through(member_id=m.pk, specialcommittee_id=specials[i % 2].pk)
        for i, m in enumerate(members)
    )


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_member_list_costs_the_same_queries_for_50_and_5000_members(
    staff: Client, member: Member, committee: Committee, django_assert_num_queries: Any
) -> None:
    url = reverse("org:member_list")
    _bulk_members(committee, member.term, 49, 0)
    staff.get(url)  # warm the session
    small = _count_queries(staff, url)
    _bulk_members(committee, member.term, 4_950, 1_000)
    assert Member.objects.filter(committee=committee).count() == 5_000
    with django_assert_num_queries(small):
        response = staff.get(url)
    assert len(response.context["page_obj"].object_list) == 25
    assert small <= 15
    # Filters and search do not change the shape of the page either.
    filtered = f"{url}?q=批量&status=in_office&party=nonparty"
    assert _count_queries(staff, filtered) == small


# --- Detail, masking and reveal ---------------------------------------------------------


def test_the_detail_page_masks_numbers_for_readers_and_offers_no_reveal(
    leader_client: Client, member: Member
) -> None:
    response = leader_client.get(reverse("org:member_detail", args=[member.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "138****8000" in content and "110105********002X" in content
    assert MOBILE not in content and ID_NUMBER not in content
    assert reverse("org:member_reveal", args=[member.pk]) not in content


def test_org_staff_see_masks_until_they_reveal_and_the_reveal_is_audited(
    staff: Client, staff_user: User, member: Member, committee: Committee
) -> None:
    detail = staff.get(reverse("org:member_detail", args=[member.pk])).content.decode()
    assert MOBILE not in detail and ID_NUMBER not in detail
    assert reverse("org:member_reveal", args=[member.pk]) in detail

    response = staff.post(reverse("org:member_reveal", args=[member.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert MOBILE in content and ID_NUMBER in content
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="view_personal_data")
    assert event.actor == staff_user
    assert event.committee == committee
    assert event.object_id == str(member.pk)
    assert event.result == AuditEvent.Result.SUCCESS


def test_the_htmx_reveal_returns_only_the_numbers_fragment(staff: Client, member: Member) -> None:
    response = staff.get(
        reverse("org:member_reveal", args=[member.pk]), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert MOBILE in content and "<html" not in content
    assert AuditEvent.objects.filter(action="view_personal_data").count() == 1


def test_a_refused_reveal_is_403_and_audits_only_the_denial(
    leader_client: Client, member: Member
) -> None:
    response = leader_client.post(reverse("org:member_reveal", args=[member.pk]))
    assert response.status_code == 403
    assert MOBILE not in response.content.decode()
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()
    assert all(e.result == AuditEvent.Result.DENIED for e in AuditEvent.objects.all())


def test_each_reveal_writes_its_own_audit_row(staff: Client, member: Member) -> None:
    for _ in range(3):
        staff.post(reverse("org:member_reveal", args=[member.pk]))
    assert AuditEvent.objects.filter(action="view_personal_data").count() == 3


# --- My profile ---------------------------------------------------------------------


def test_my_profile_shows_the_own_seat_with_masked_numbers(
    client: Client, member: Member, member_user: User, committee: Committee
) -> None:
    special = SpecialCommitteeFactory(committee=committee, name="文史委员会")
    member.special_committees.add(special)
    studio = StudioFactory(committee=committee, name="法律服务工作室", lead=member)
    studio.members.add(member)
    station = StationFactory(committee=committee, name="东城联络站")
    station.members.add(member)
    client.force_login(member_user)
    response = client.get(reverse("org:my_profile"))
    content = response.content.decode()
    assert response.status_code == 200
    for text in (member.person.name, member.sector.name, special.name, studio.name, station.name):
        assert text in content
    assert "138****8000" in content
    assert MOBILE not in content and ID_NUMBER not in content
    assert reverse("org:member_reveal", args=[member.pk]) not in content
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()


def test_my_profile_is_404_without_a_seat(client: Client, staff_user: User, member: Member) -> None:
    client.force_login(staff_user)
    assert client.get(reverse("org:my_profile")).status_code == 404


# --- Create ---------------------------------------------------------------------------


def test_staff_create_a_member_with_a_new_person(
    staff: Client, staff_user: User, member: Member, committee: Committee
) -> None:
    special = SpecialCommitteeFactory(committee=committee)
    response = staff.post(
        reverse("org:member_create"), form_data(member, special_committees=[special.pk])
    )
    assert response.status_code == 302
    created = Member.objects.get(person__name="林晓川")
    assert response["Location"] == reverse("org:member_detail", args=[created.pk])
    assert created.committee == committee
    assert created.person.mobile == NEW_MOBILE
    assert created.person.id_number == NEW_ID
    assert created.person.mobile_hash == crypto.blind_index(NEW_MOBILE)
    assert NEW_MOBILE not in created.person.mobile_encrypted
    assert list(created.special_committees.all()) == [special]
    event = AuditEvent.objects.get(action="member_created")
    assert event.actor == staff_user and event.object_id == str(created.pk)
    assert event.detail["reused_person"] == "no"


def test_the_birth_date_is_taken_from_the_id_number_when_left_empty(
    staff: Client, member: Member
) -> None:
    staff.post(reverse("org:member_create"), form_data(member, birth_date=""))
    assert Person.objects.get(name="林晓川").birth_date == dt.date(1980, 2, 3)


def test_a_person_already_on_another_committee_is_reused_not_duplicated(
    staff: Client, member: Member, other_committee: Committee
) -> None:
    person = PersonFactory(name="林晓川", gender="M", id_number=NEW_ID, mobile=NEW_MOBILE)
    MemberFactory(committee=other_committee, person=person)
    persons = Person.objects.count()
    response = staff.post(reverse("org:member_create"), form_data(member, employer="示例集团"))
    assert response.status_code == 302
    assert Person.objects.count() == persons
    seat = Member.objects.get(committee=member.committee, person=person)
    assert seat.person.employer == "示例集团"
    assert Member.objects.filter(person=person).count() == 2
    assert AuditEvent.objects.get(action="member_created").detail["reused_person"] == "yes"


EMPTY_ERRORS = ["name", "gender", "party", "mobile", "id_number", "term", "start_date"]


def _assert_refused(response: Any, counts: tuple[int, int]) -> None:
    assert response.status_code == 400  # refused: nothing written
    assert (Member.objects.count(), Person.objects.count()) == counts
    assert not AuditEvent.objects.filter(action__startswith="member_").exists()


def _counts() -> tuple[int, int]:
    return Member.objects.count(), Person.objects.count()


def test_an_empty_member_form_is_refused_with_a_message_per_field(
    staff: Client, member: Member
) -> None:
    counts = _counts()
    response = staff.post(reverse("org:member_create"), {})
    _assert_refused(response, counts)
    errors = response.context["form"].errors
    for field in EMPTY_ERRORS:
        assert field in errors, field
    assert msg("This field is required.") in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "林" * 65}, "name", None),
        ({"employer": "单" * 129}, "employer", None),
        ({"birth_date": "not a date"}, "birth_date", None),
        ({"start_date": "2023-13-45"}, "start_date", None),
        ({"term": "abc"}, "term", "Choose a term of this committee."),
        ({"gender": "X"}, "gender", None),
        ({"party": "whig"}, "party", None),
        ({"position": "king"}, "position", None),
        ({"mobile": "12345"}, "mobile", "The mobile number must be 11 digits starting with 1."),
        (
            {"mobile": "23800138000"},
            "mobile",
            "The mobile number must be 11 digits starting with 1.",
        ),
        (
            {"id_number": "110101198002030011"},
            "id_number",
            "The check digit of the ID number is wrong.",
        ),
        (
            {"id_number": "1101011980"},
            "id_number",
            "The ID number must have 18 characters: 17 digits and a digit or X.",
        ),
        (
            {"birth_date": "1980-02-04"},
            "birth_date",
            "The birth date does not match the ID number.",
        ),
        ({"gender": "F"}, "gender", "The gender does not match the ID number."),
        (
            {"start_date": "2020-01-01"},
            "start_date",
            "The seat must start within the dates of its term.",
        ),
    ],
)
def test_bad_member_input_is_refused_with_a_clear_message_and_nothing_changes(
    staff: Client, member: Member, overrides: dict[str, Any], field: str, message: str | None
) -> None:
    counts = _counts()
    response = staff.post(reverse("org:member_create"), form_data(member, **overrides))
    _assert_refused(response, counts)
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert msg(message) in errors[field]
        assert html(msg(message)) in response.content.decode()


def test_a_sector_special_committee_or_term_of_another_committee_is_refused(
    staff: Client, member: Member, other_committee: Committee
) -> None:
    foreign_sector = SectorFactory(committee=other_committee)
    foreign_special = SpecialCommitteeFactory(committee=other_committee)
    foreign_term = TermFactory(committee=other_committee)
    counts = _counts()
    response = staff.post(
        reverse("org:member_create"),
        form_data(
            member,
            sector=foreign_sector.pk,
            special_committees=[foreign_special.pk],
            term=foreign_term.pk,
        ),
    )
    _assert_refused(response, counts)
    errors = response.context["form"].errors
    assert msg("Choose a sector of this committee.") in errors["sector"]
    assert msg("Choose special committees of this committee.") in errors["special_committees"]
    assert msg("Choose a term of this committee.") in errors["term"]


def test_a_second_seat_in_the_same_term_is_refused(staff: Client, member: Member) -> None:
    counts = _counts()
    response = staff.post(
        reverse("org:member_create"),
        form_data(member, id_number=ID_NUMBER, mobile=MOBILE, birth_date="1949-12-31", gender="F"),
    )
    _assert_refused(response, counts)
    expected = msg(
        "%(name)s already has a seat in %(term)s of this committee.",
    ) % {"name": member.person.name, "term": member.term.name}
    assert expected in response.context["form"].non_field_errors()


# --- Edit -------------------------------------------------------------------------------


def test_the_edit_form_never_shows_full_numbers(staff: Client, member: Member) -> None:
    content = staff.get(reverse("org:member_edit", args=[member.pk])).content.decode()
    assert MOBILE not in content and ID_NUMBER not in content
    assert "138****8000" in content


def test_editing_with_empty_numbers_keeps_them_and_audits_the_changed_fields(
    staff: Client, member: Member, committee: Committee
) -> None:
    sector = SectorFactory(committee=committee, name="教育界")
    data = form_data(
        member,
        name="王改名",
        gender="F",
        birth_date="",
        mobile="",
        id_number="",
        sector=sector.pk,
        position=Member.Position.STANDING,
    )
    response = staff.post(reverse("org:member_edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    member.person.refresh_from_db()
    assert member.person.name == "王改名"
    assert member.sector == sector and member.position == Member.Position.STANDING
    assert member.person.mobile == MOBILE and member.person.id_number == ID_NUMBER
    assert member.person.birth_date == dt.date(1949, 12, 31)
    fields = AuditEvent.objects.get(action="member_updated").detail["fields"].split(",")
    assert {"name", "sector", "position"} <= set(fields)
    assert "mobile" not in fields


def test_editing_a_number_changes_it_and_its_hash(staff: Client, member: Member) -> None:
    data = form_data(
        member, mobile=NEW_MOBILE, id_number="", birth_date="", gender="F", name="王某"
    )
    assert staff.post(reverse("org:member_edit", args=[member.pk]), data).status_code == 302
    member.person.refresh_from_db()
    assert member.person.mobile == NEW_MOBILE
    assert member.person.mobile_hash == crypto.blind_index(NEW_MOBILE)


def test_editing_to_an_id_number_of_another_person_is_refused(
    staff: Client, member: Member
) -> None:
    PersonFactory(id_number=NEW_ID)
    data = form_data(member, id_number=NEW_ID, mobile="", name="王某")
    response = staff.post(reverse("org:member_edit", args=[member.pk]), data)
    assert response.status_code == 400  # refused: nothing written
    assert (
        msg("Another person on record already has this ID number.")
        in response.context["form"].errors["id_number"]
    )
    member.person.refresh_from_db()
    assert member.person.id_number == ID_NUMBER
    assert not AuditEvent.objects.filter(action="member_updated").exists()


def test_editing_the_shared_person_shows_in_every_committee(
    staff: Client, member: Member, other_committee: Committee
) -> None:
    """Org staff of either committee may correct the shared person (documented decision)."""
    other_seat = MemberFactory(committee=other_committee, person=member.person)
    data = form_data(member, name="王新名", mobile="", id_number="", birth_date="", gender="F")
    assert staff.post(reverse("org:member_edit", args=[member.pk]), data).status_code == 302
    other_seat.person.refresh_from_db()
    assert other_seat.person.name == "王新名"


# --- Deactivate ---------------------------------------------------------------------------


def test_a_member_leaves_office_with_status_date_and_reason_and_stays_on_record(
    staff: Client, staff_user: User, member: Member
) -> None:
    url = reverse("org:member_deactivate", args=[member.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(
        url, {"status": "removed", "end_date": "2026-02-01", "reason": "常委会决定撤销委员资格"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.REMOVED
    assert member.end_date == dt.date(2026, 2, 1)
    assert member.end_reason == "常委会决定撤销委员资格"
    assert Member.objects.filter(pk=member.pk).exists()
    event = AuditEvent.objects.get(action="member.remove")
    assert event.actor == staff_user and event.detail["status"] == "removed"
    assert (event.detail["from_state"], event.detail["to_state"]) == ("in_office", "removed")
    [step] = member.events.all()
    assert (step.action, step.note, step.actor) == ("remove", "常委会决定撤销委员资格", staff_user)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "reason"),
        ({"status": "in_office", "end_date": "2026-02-01", "reason": "x"}, "status"),
        ({"status": "resigned", "end_date": "2020-01-01", "reason": "x"}, "end_date"),
        ({"status": "resigned", "end_date": "yesterday", "reason": "x"}, "end_date"),
        ({"status": "resigned", "end_date": "2026-02-01", "reason": "   "}, "reason"),
        ({"status": "resigned", "end_date": "2026-02-01", "reason": "理" * 201}, "reason"),
    ],
)
def test_bad_deactivation_input_is_refused_and_nothing_changes(
    staff: Client, member: Member, data: dict[str, str], field: str
) -> None:
    response = staff.post(reverse("org:member_deactivate", args=[member.pk]), data)
    assert response.status_code == 400  # refused: nothing written
    assert field in response.context["form"].errors
    member.refresh_from_db()
    assert member.status == Member.Status.IN_OFFICE and member.end_date is None
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()


def test_a_member_who_left_cannot_leave_again(staff: Client, member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(status=Member.Status.RESIGNED)
    response = staff.post(
        reverse("org:member_deactivate", args=[member.pk]),
        {"status": "removed", "end_date": "2026-02-01", "reason": "x"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.RESIGNED
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()


# --- Services -----------------------------------------------------------------------------


def _create_kwargs(member: Member, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "committee": member.committee,
        "name": "林晓川",
        "gender": "M",
        "party": Party.CDL,
        "id_number": NEW_ID,
        "mobile": NEW_MOBILE,
        "term": member.term,
        "start_date": dt.date(2023, 1, 10),
        "sector": member.sector,
    }
    kwargs.update(overrides)
    return kwargs


def test_member_create_refuses_another_committees_sector_term_or_special_committee(
    staff_user: User, member: Member, other_committee: Committee
) -> None:
    counts = _counts()
    for overrides in (
        {"sector": SectorFactory(committee=other_committee)},
        {"term": TermFactory(committee=other_committee)},
        {"special_committees": [SpecialCommitteeFactory(committee=other_committee)]},
    ):
        with pytest.raises(ValidationFailed):
            services.member_create(actor=staff_user, **_create_kwargs(member, **overrides))
    assert _counts() == counts


def test_member_create_refuses_bad_numbers(staff_user: User, member: Member) -> None:
    for overrides in (
        {"id_number": "110101198002030011"},
        {"mobile": "1234"},
        {"id_number": ""},
        {"birth_date": dt.date(1999, 1, 1)},
    ):
        with pytest.raises(ValidationFailed):
            services.member_create(actor=staff_user, **_create_kwargs(member, **overrides))
    assert not Person.objects.filter(name="林晓川").exists()


def test_member_create_allows_one_seat_per_person_per_term(
    staff_user: User, member: Member, committee: Committee
) -> None:
    services.member_create(actor=staff_user, **_create_kwargs(member))
    with pytest.raises(Conflict):
        services.member_create(actor=staff_user, **_create_kwargs(member))
    next_term = TermFactory(committee=committee, number=99, is_current=False)
    seat = services.member_create(actor=staff_user, **_create_kwargs(member, term=next_term))
    assert Member.objects.filter(person=seat.person).count() == 2
    assert Person.objects.filter(name="林晓川").count() == 1


def test_member_update_refuses_moving_into_a_term_where_the_person_sits(
    staff_user: User, member: Member, committee: Committee
) -> None:
    next_term = TermFactory(committee=committee, number=99, is_current=False)
    second = MemberFactory(committee=committee, term=next_term, person=member.person)
    with pytest.raises(Conflict):
        services.member_update(
            actor=staff_user,
            member=second,
            name=member.person.name,
            gender="F",
            party=Party.NONPARTY,
            term=member.term,
            start_date=dt.date(2023, 1, 10),
        )
    second.refresh_from_db()
    assert second.term == next_term


def test_member_deactivate_refuses_a_bad_status_or_empty_reason(
    staff_user: User, member: Member
) -> None:
    with pytest.raises(ValidationFailed):
        services.member_deactivate(
            actor=staff_user,
            member=member,
            status=Member.Status.IN_OFFICE,
            end_date=dt.date(2026, 1, 1),
            reason="x",
        )
    with pytest.raises(ValidationFailed):
        services.member_deactivate(
            actor=staff_user,
            member=member,
            status=Member.Status.RESIGNED,
            end_date=dt.date(2026, 1, 1),
            reason=" ",
        )
    member.refresh_from_db()
    assert member.status == Member.Status.IN_OFFICE


def test_personal_data_reveal_returns_the_numbers_and_audits(
    staff_user: User, member: Member
) -> None:
    numbers = services.personal_data_reveal(actor=staff_user, member=member)
    assert numbers == {"mobile": MOBILE, "id_number": ID_NUMBER}
    assert AuditEvent.objects.filter(action="view_personal_data", actor=staff_user).count() == 1


# --- Navigation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff_org", {"org:member_list", "org:structure"}),
        ("leader", {"org:member_list", "org:structure"}),
        ("member", {"org:my_profile"}),
        ("auditor", set()),
    ],
)
def test_the_navigation_shows_the_org_pages_each_role_may_open(
    client: Client,
    make_user: Callable[..., User],
    member_user: User,
    committee: Committee,
    who: str,
    expected: set[str],
) -> None:
    user = {
        "staff_org": lambda: make_user(Role.STAFF, committee, Area.ORG),
        "leader": lambda: make_user(Role.LEADER, committee),
        "member": lambda: member_user,
        "auditor": lambda: make_user(Role.AUDITOR, committee),
    }[who]()
    client.force_login(user)
    response = client.get(reverse("accounts:password_change"))
    urls = {item["url"] for item in response.context["nav_items"]}
    org_names = {"org:member_list", "org:structure", "org:my_profile"}
    assert {n for n in org_names if reverse(n) in urls} == expected


def test_a_user_without_any_committee_gets_403_on_staff_pages(client: Client, db: None) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("org:member_list")).status_code == 403
    assert client.get(reverse("org:structure")).status_code == 403
    assert client.get(reverse("org:my_profile")).status_code == 404


def test_the_list_links_to_the_export_with_the_same_filters_for_those_allowed(
    staff: Client, member: Member
) -> None:
    content = staff.get(reverse("org:member_list"), {"q": "王", "page": 1}).content.decode()
    assert f"{reverse('org:roster_export')}?q=%E7%8E%8B" in content
    assert reverse("org:roster_import") in content


def test_readers_get_the_export_link_but_not_import_or_create(
    leader_client: Client, member: Member
) -> None:
    content = leader_client.get(reverse("org:member_list")).content.decode()
    assert reverse("org:roster_export") in content
    assert reverse("org:roster_import") not in content
    assert reverse("org:member_create") not in content
