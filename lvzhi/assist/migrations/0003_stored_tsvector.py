"""PostgreSQL: the tsvector stored in a generated column (``tsv``) with the
GIN index on it, instead of an index on the expression. Matching could use
either, but ranking (``ts_rank``) and any row the planner checks without the
index had to parse ``tokens`` again, row by row: at 52,399 proposals that
was most of a search's time (docs/assist.md). The column is computed by the
database from ``tokens``, so nothing writes it and the model does not name
it; SQLite is unchanged (FTS5 keeps its own index)."""

from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE assist_searchentry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX assist_search_tsv_stored ON assist_searchentry USING gin (tsv)",
    "DROP INDEX IF EXISTS assist_search_tsv",
]
POSTGRES_DOWN = [
    "CREATE INDEX assist_search_tsv ON assist_searchentry USING gin (to_tsvector('simple', tokens))",
    "ALTER TABLE assist_searchentry DROP COLUMN tsv",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("assist", "0002_search_engines")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
