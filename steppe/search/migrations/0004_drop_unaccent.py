"""Stop using PostgreSQL's `unaccent` extension: migration 0002 created it, nothing ever used it.

Accents are removed by steppe.search.analysis before a token reaches either engine, identically on
SQLite and PostgreSQL (the contract tests depend on it); `unaccent` in SQL would give PostgreSQL its
own, different folding. Dropping it keeps the production database to what the code needs (pg_trgm).
`IF EXISTS`, no `CASCADE`: if something else came to depend on it, this fails loudly rather than
dropping that.
"""

from django.db import migrations


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_entry_facets_index")]

    operations = [
        migrations.RunPython(
            _run("DROP EXTENSION IF EXISTS unaccent"),
            _run("CREATE EXTENSION IF NOT EXISTS unaccent"),
        )
    ]
