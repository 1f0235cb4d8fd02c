"""The full-text side of the search index, per database: an FTS5 table kept
in step with assist_searchentry by triggers on SQLite; a GIN index over
to_tsvector('simple', tokens) on PostgreSQL (the tokens are jieba's, so the
'simple' configuration only splits on the spaces between them)."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE assist_search_fts USING fts5("
    "tokens, content='assist_searchentry', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER assist_search_ai AFTER INSERT ON assist_searchentry BEGIN "
    "INSERT INTO assist_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER assist_search_ad AFTER DELETE ON assist_searchentry BEGIN "
    "INSERT INTO assist_search_fts(assist_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER assist_search_au AFTER UPDATE ON assist_searchentry BEGIN "
    "INSERT INTO assist_search_fts(assist_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO assist_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS assist_search_au",
    "DROP TRIGGER IF EXISTS assist_search_ad",
    "DROP TRIGGER IF EXISTS assist_search_ai",
    "DROP TABLE IF EXISTS assist_search_fts",
]
POSTGRES_UP = [
    "CREATE INDEX assist_search_tsv ON assist_searchentry USING gin (to_tsvector('simple', tokens))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS assist_search_tsv"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("assist", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
