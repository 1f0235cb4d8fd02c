"""Factories for the organisation. Names are invented."""

from __future__ import annotations

import datetime as dt

import factory

from lvzhi.org import models


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Committee
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试市政协{n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    code = factory.Sequence(lambda n: f"committee-{n}")
    level = models.Committee.Level.CITY


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Term

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: 15 + n)
    name = factory.LazyAttribute(lambda o: f"第{o.number}届")
    start_date = dt.date(2023, 1, 10)
    is_current = True


class PlenarySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlenarySession

    term = factory.SubFactory(TermFactory)
    committee = factory.LazyAttribute(lambda o: o.term.committee)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"{o.term.name}{o.number}次会议")
    year = 2026
    start_date = dt.date(2026, 1, 10)
    end_date = dt.date(2026, 1, 14)
    proposal_window_start = dt.date(2025, 12, 20)
    proposal_window_end = dt.date(2026, 1, 13)


class SectorClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SectorCluster

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"第{n}联组")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sector

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"测试界{n}")


class SpecialCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SpecialCommittee

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"专门委员会{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试人{n}")
    gender = models.Gender.FEMALE
    party = models.Party.NONPARTY
    birth_date = dt.date(1975, 5, 1)

    @factory.post_generation
    def mobile(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if extracted:
            self.set_mobile(extracted)
            if create:
                self.save(update_fields=["mobile_encrypted", "mobile_hash"])

    @factory.post_generation
    def id_number(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if extracted:
            self.set_id_number(extracted)
            if create:
                self.save(update_fields=["id_number_encrypted", "id_number_hash"])


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Member
        skip_postgeneration_save = True

    committee = factory.SubFactory(CommitteeFactory)
    term = factory.SubFactory(TermFactory, committee=factory.SelfAttribute("..committee"))
    person = factory.SubFactory(PersonFactory)
    sector = factory.SubFactory(SectorFactory, committee=factory.SelfAttribute("..committee"))
    start_date = dt.date(2023, 1, 10)


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.HandlingUnit

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = models.HandlingUnit.Kind.GOVERNMENT


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Studio

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"委员工作室{n}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Station

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"联络站{n}")
