"""Every workflow event table refuses UPDATE and DELETE in the database
(core.append_only). The list is frozen here, as a migration must do the same
whenever it runs; a later event model guards its table in its own app's
migration, and core/tests/test_append_only.py fails while one is unguarded."""

from django.db import migrations

from lvzhi.core.append_only import guard, unguard

EVENT_TABLES = [
    "consultations_consultationevent",
    "consultations_findingevent",
    "consultations_inspectionevent",
    "consultations_planevent",
    "consultations_supervisionplanevent",
    "consultations_topicevent",
    "duties_activityevent",
    "duties_contributionevent",
    "duties_dutyprojectevent",
    "duties_invitationevent",
    "opinions_issueevent",
    "opinions_reportevent",
    "org_memberevent",
    "points_assessmentevent",
    "points_bulletinevent",
    "points_policyevent",
    "proposals_assignmentevent",
    "proposals_cosignerevent",
    "proposals_extensionrequestevent",
    "proposals_proposalevent",
    "proposals_reassignmentrequestevent",
    "public_messageevent",
    "studios_serviceprojectevent",
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_hash_chain"),
        ("consultations", "0004_trim_unused_meta"),
        ("duties", "0005_trim_unused_meta"),
        ("opinions", "0004_trim_unused_meta"),
        ("org", "0005_trim_unused_meta"),
        ("points", "0004_trim_unused_meta"),
        ("proposals", "0005_co_opinion_due"),
        ("public", "0005_trim_unused_meta"),
        ("studios", "0004_trim_unused_meta"),
    ]

    operations = [migrations.RunPython(guard(EVENT_TABLES), unguard(EVENT_TABLES))]
