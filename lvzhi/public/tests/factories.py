"""Factories for the public channel. Texts are invented."""

from __future__ import annotations

import factory

from lvzhi.org.tests.factories import CommitteeFactory, StudioFactory
from lvzhi.public import codes
from lvzhi.public.models import Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    committee = factory.SubFactory(CommitteeFactory)
    kind = Venue.Kind.STUDIO
    studio = factory.SubFactory(StudioFactory, committee=factory.SelfAttribute("..committee"))
    code = factory.LazyFunction(codes.new_venue_code)
