"""SQLite FTS5 engine: the embedded default.

The FTS5 table `search_fts` (migration 0002) has the columns title, head, body and facets, filled
with tokens from steppe.search.analysis joined by spaces; its rowid is the entry key (publication
time first). A tier is a column filter, so each tier is one query that FTS5 answers by walking the
token lists backwards from the newest entry and stopping after `limit` rows: no rank function,
whatever the number of matches (docs/SEARCH.md shows the plans).
"""

from steppe.search import conf
from steppe.search.documents import ItemTokens
from steppe.search.query import All, Node, Token
from steppe.search.suggestions import trigrams_of

from .base import BaseSearchBackend, Criteria, Matches

TIER_COLUMNS = ("{title}", "{title head}", "{title head body}")

# FTS5 settings while a reindex fills the empty table, and their defaults (put back afterwards, in
# the same transaction). Measured on the benchmark corpus (docs/SEARCH.md): FTS5 buffers 64 MiB of
# new postings in memory instead of 1 MiB before writing a segment, and merges nothing while
# loading (automerge 0; crisismerge is only the safety net), then `optimize` merges the few large
# segments once. By default every posting is rewritten at each level of incremental merging, and
# `optimize` then rewrites it once more. With the page cache below: a quarter less CPU in FTS5.
BULK_FTS_SETTINGS = {"hashsize": 64 * 1024 * 1024, "automerge": 0, "crisismerge": 64}
FTS_DEFAULTS = {"hashsize": 1024 * 1024, "automerge": 4, "crisismerge": 16}
# Page cache of the writing connection during a reindex (KiB, as PRAGMA cache_size takes it): the
# B-trees written at random places (entry keys, facet index) stay in memory instead of being
# spilled to the WAL and read back. 2 MiB (SQLite's default) otherwise.
BULK_CACHE_KIB = 256 * 1024


def render(node: Node) -> str:
    """FTS5 query syntax; every token is a quoted string, so no user text is ever an operator."""
    if isinstance(node, Token):
        return '"' + node.value.replace('"', '""') + '"'
    joiner = " AND " if isinstance(node, All) else " OR "
    return "(" + joiner.join(render(child) for child in node.children) + ")"


def match_expression(criteria: Criteria, tier: int) -> str:
    parts = []
    if criteria.positive is not None:
        parts.append(f"({TIER_COLUMNS[tier]} : {render(criteria.positive)})")
    if criteria.facets is not None:
        parts.append(render(criteria.facets))
    expression = " AND ".join(parts)
    if criteria.negative is not None:
        expression = f"({expression}) NOT {render(criteria.negative)}"
    return expression


class SQLiteSearchBackend(BaseSearchBackend):
    vendor = "sqlite"

    def _token_values(self, tokens: ItemTokens) -> tuple[str, ...]:
        return (
            " ".join(tokens.title),
            " ".join(tokens.head),
            " ".join(tokens.body),
            " ".join(tokens.facets),
        )

    def _insert_tokens(self, rows: list[tuple[int, tuple[str, ...]]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, head, body, facets) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(key, *values) for key, values in rows],
            )

    def _delete_tokens(self, keys: list[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(key,) for key in keys])

    def _clear_tokens(self) -> None:
        # Emptied by dropping and creating it again (in the caller's transaction): `DELETE` on an
        # FTS5 table with content reads and tokenizes every row to delete its postings.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'"
            )
            (create,) = cursor.fetchone()
            cursor.execute("DROP TABLE search_fts")
            cursor.execute(create)

    def _set_fts(self, cursor, settings: dict[str, int]) -> None:
        for name, value in settings.items():
            cursor.execute(
                "INSERT INTO search_fts (search_fts, rank) VALUES (%s, %s)", [name, value]
            )

    def _before_bulk_load(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            self._cache_size = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            cursor.execute("SELECT k, v FROM search_fts_config")
            current = dict(cursor.fetchall())
            self._fts_settings = {
                name: int(current.get(name, default)) for name, default in FTS_DEFAULTS.items()
            }
            self._set_fts(cursor, BULK_FTS_SETTINGS)

    def _after_bulk_load(self) -> None:
        with self.connection.cursor() as cursor:
            # Merge the segments into one: queries then walk one list per token (2.5x faster).
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            self._set_fts(cursor, self._fts_settings)

    def _end_bulk_load(self) -> None:
        cache_size = getattr(self, "_cache_size", None)
        if cache_size is not None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {cache_size}")

    def after_reindex(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")

    def _run(
        self, criteria: Criteria, *, limit: int, date_page: tuple[int, int] | None, count: bool
    ) -> Matches:
        full = match_expression(criteria, 2)
        ranked: list[tuple[int, int]] = []
        seen: set[int] = set()
        with self.connection.cursor() as cursor:
            tiers = (0, 1, 2) if criteria.positive is not None else (2,)
            for tier in tiers:
                if len(ranked) >= limit:
                    break
                expression = full if tier == 2 else match_expression(criteria, tier)
                # Earlier tiers' rows come back again (tiers are nested): ask for enough rows.
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid <= %s "
                    "ORDER BY rowid DESC LIMIT %s",
                    [expression, criteria.max_key, limit + len(ranked)],
                )
                for (key,) in cursor.fetchall():
                    if key not in seen:
                        seen.add(key)
                        ranked.append((key, tier))
            ranked = ranked[:limit]
            if len(ranked) < limit or not count:
                total = len(ranked)
            else:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT rowid FROM search_fts "
                    "WHERE search_fts MATCH %s AND rowid <= %s LIMIT %s)",
                    [full, criteria.max_key, conf.count_limit() + 1],
                )
                total = cursor.fetchone()[0]
            by_date = None
            if date_page is not None:
                offset, size = date_page
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid <= %s "
                    "ORDER BY rowid DESC LIMIT %s OFFSET %s",
                    [full, criteria.max_key, size, offset],
                )
                by_date = [key for (key,) in cursor.fetchall()]
        return Matches(ranked=ranked, by_date=by_date, total=total)

    def word_candidates(self, word: str, *, limit: int) -> list[tuple[str, str, int]]:
        trigrams = sorted(trigrams_of(word))
        if not trigrams:
            return []
        expression = " OR ".join('"' + trigram.replace('"', '""') + '"' for trigram in trigrams)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT w.word, w.display, w.doc_count FROM search_word_trigram t "
                "JOIN search_searchword w ON w.id = t.rowid "
                "WHERE search_word_trigram MATCH %s ORDER BY t.rank LIMIT %s",
                [expression, limit],
            )
            return list(cursor.fetchall())

    def explain(self, criteria: Criteria, *, limit: int) -> str:
        lines = []
        with self.connection.cursor() as cursor:
            for tier in (0, 1, 2):
                sql = (
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid <= %s "
                    "ORDER BY rowid DESC LIMIT %s"
                )
                cursor.execute(
                    "EXPLAIN QUERY PLAN " + sql,
                    [match_expression(criteria, tier), criteria.max_key, limit],
                )
                lines.append(f"tier {tier}: {match_expression(criteria, tier)}")
                lines += ["  " + str(row[-1]) for row in cursor.fetchall()]
        return "\n".join(lines)
