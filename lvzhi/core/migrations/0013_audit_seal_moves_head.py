"""The chain's head follows its seals in the database: a trigger after each
seal's insert moves the head to it (core.audit_seal), so a seal never lands
without the head, and sealing saves the head's UPDATE. (On SQLite a table
rebuild drops its triggers: a later migration that rebuilds core_auditseal
creates this one again.)"""

from typing import Any

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER core_auditseal_moves_head AFTER INSERT ON core_auditseal BEGIN "
    "UPDATE core_auditchainhead SET seq = NEW.seq, last_hash = NEW.hash "
    "WHERE id = 1 AND seq < NEW.seq; END",
]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION core_auditseal_moves_head() RETURNS trigger AS $$ BEGIN "
    "UPDATE core_auditchainhead SET seq = NEW.seq, last_hash = NEW.hash "
    "WHERE id = 1 AND seq < NEW.seq; RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER core_auditseal_moves_head AFTER INSERT ON core_auditseal "
    "FOR EACH ROW EXECUTE FUNCTION core_auditseal_moves_head()",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_auditseal_moves_head"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditseal_moves_head ON core_auditseal",
        "DROP FUNCTION IF EXISTS core_auditseal_moves_head()",
    ],
}


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0012_rate_counter"),
    ]

    operations = [migrations.RunPython(create, drop)]
