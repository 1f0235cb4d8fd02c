"""Writes to the organisation: one function per use case (DESIGN §4), by
subject: ``structure`` (terms, sessions, sectors, special committees),
``members`` (seats, persons, personal data), ``units`` (handling units,
studios, stations).

Every function is keyword-only, takes the acting user and checks its named
permission (org/rules.py) first, runs in one transaction, locks the rows it
changes, writes the audit trail and raises a ``DomainError`` with a message
for the user when a rule refuses the change (nothing is written then). Forms
check the same things first for friendly field errors; the checks here hold
for every caller (views, import, API)."""

from lvzhi.org.services.members import (
    member_create,
    member_deactivate,
    member_update,
    person_errors,
    personal_data_reveal,
)
from lvzhi.org.services.structure import (
    PROPOSAL_WINDOW_MAX_LEAD,
    cluster_create,
    cluster_update,
    sector_create,
    sector_update,
    session_create,
    session_update,
    special_committee_create,
    special_committee_update,
    term_create,
    term_update,
)
from lvzhi.org.services.units import (
    station_create,
    station_deactivate,
    station_update,
    studio_create,
    studio_deactivate,
    studio_update,
    unit_create,
    unit_deactivate,
    unit_update,
)

__all__ = [
    "PROPOSAL_WINDOW_MAX_LEAD",
    "cluster_create",
    "cluster_update",
    "member_create",
    "member_deactivate",
    "member_update",
    "person_errors",
    "personal_data_reveal",
    "sector_create",
    "sector_update",
    "session_create",
    "session_update",
    "special_committee_create",
    "special_committee_update",
    "station_create",
    "station_deactivate",
    "station_update",
    "studio_create",
    "studio_deactivate",
    "studio_update",
    "term_create",
    "term_update",
    "unit_create",
    "unit_deactivate",
    "unit_update",
]
