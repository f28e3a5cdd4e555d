"""The engine's own index tables, created only for the database in use.

SQLite: the FTS5 table `search_fts` (columns title, head, body, facets; tokens are already analysed
by steppe.search.analysis, so the `ascii` tokenizer only splits on spaces; `detail=column` keeps
which column a token is in, not its positions: phrases are matched through bigram tokens;
`columnsize=0`: no rank function reads column sizes) and the
trigram FTS5 table for suggestions, kept in step with search_searchword by triggers.

PostgreSQL: the unaccent and pg_trgm extensions, the table `search_pg` with one tsvector per tier
(title; title + summary; everything) and a GIN index on each, and a trigram GIN index on the
vocabulary. See docs/SEARCH.md for why.

The SQL is written out here, not imported from the app: a migration must not change when code does.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, head, body, facets,
        tokenize = "ascii tokenchars '_'", detail = column, columnsize = 0
    )""",
    # Words are stored padded as pg_trgm pads them ("  word "), so the two engines see the same
    # trigrams.
    """CREATE VIRTUAL TABLE search_word_trigram USING fts5(padded, tokenize = 'trigram')""",
    """CREATE TRIGGER search_word_trigram_insert AFTER INSERT ON search_searchword BEGIN
        INSERT INTO search_word_trigram (rowid, padded) VALUES (new.id, '  ' || new.word || ' ');
    END""",
    """CREATE TRIGGER search_word_trigram_delete AFTER DELETE ON search_searchword BEGIN
        DELETE FROM search_word_trigram WHERE rowid = old.id;
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_word_trigram_delete",
    "DROP TRIGGER IF EXISTS search_word_trigram_insert",
    "DROP TABLE IF EXISTS search_word_trigram",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE search_pg (
        entry_id bigint PRIMARY KEY,
        v_title tsvector NOT NULL,
        v_head tsvector NOT NULL,
        v_all tsvector NOT NULL
    )""",
    # The vectors are only ever read through their GIN indexes (queries never need a recheck): keep
    # them out of the row, so that visiting the matches of a common word reads ~60-byte rows.
    "ALTER TABLE search_pg ALTER COLUMN v_title SET STORAGE EXTERNAL",
    "ALTER TABLE search_pg ALTER COLUMN v_head SET STORAGE EXTERNAL",
    "ALTER TABLE search_pg ALTER COLUMN v_all SET STORAGE EXTERNAL",
    "ALTER TABLE search_pg SET (toast_tuple_target = 128)",
    "CREATE INDEX search_pg_title ON search_pg USING gin (v_title)",
    "CREATE INDEX search_pg_head ON search_pg USING gin (v_head)",
    "CREATE INDEX search_pg_all ON search_pg USING gin (v_all)",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP TABLE IF EXISTS search_pg",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
