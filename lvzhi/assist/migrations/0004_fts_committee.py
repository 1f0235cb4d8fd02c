"""SQLite: the committee as a second column of the FTS5 table, so a match
names the committees it is for (``committee_id : ("12") AND tokens : (…)``)
and FTS5 walks only their rows. Before, the draft's 24 words were matched
over every committee's entries (all 52,399 at the assist bench's size) and
each hit was checked against the scoped ids afterwards: most of a similar
request's time for a province's staff (docs/assist.md). The table is
re-created and filled from ``assist_searchentry`` (FTS5's ``rebuild``), the
triggers keep both columns. ``bm25()`` is given weight 0 for the committee
column (engines.FTS_RANK). PostgreSQL is unchanged: its committee index is
ANDed with the GIN index already."""

from django.db import migrations

TRIGGERS = ["assist_search_ai", "assist_search_ad", "assist_search_au"]


def _layout(columns: list[str]) -> list[str]:
    """The FTS5 table over ``columns`` of assist_searchentry, filled from it,
    and the triggers that keep it in step."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # Constant column names, no input: S608 does not apply.
    delete = (
        f"INSERT INTO assist_search_fts(assist_search_fts, rowid, {names}) "  # noqa: S608
        f"VALUES ('delete', old.id, {old});"
    )
    insert = f"INSERT INTO assist_search_fts(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    return [
        *(f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS),
        "DROP TABLE IF EXISTS assist_search_fts",
        f"CREATE VIRTUAL TABLE assist_search_fts USING fts5({names}, "
        "content='assist_searchentry', content_rowid='id', tokenize='unicode61')",
        "INSERT INTO assist_search_fts(assist_search_fts) VALUES ('rebuild')",
        f"CREATE TRIGGER assist_search_ai AFTER INSERT ON assist_searchentry BEGIN {insert} END",
        f"CREATE TRIGGER assist_search_ad AFTER DELETE ON assist_searchentry BEGIN {delete} END",
        f"CREATE TRIGGER assist_search_au AFTER UPDATE ON assist_searchentry BEGIN "
        f"{delete} {insert} END",
    ]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("assist", "0003_stored_tsvector")]

    operations = [
        migrations.RunPython(_run(_layout(["tokens", "committee_id"])), _run(_layout(["tokens"]))),
    ]
