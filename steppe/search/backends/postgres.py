"""PostgreSQL full-text engine: production.

The table `search_pg` (migration 0002) holds, per entry key, three tsvectors built from the tokens of
steppe.search.analysis (title; title + head; everything), each with facet tokens and a GIN index.
Lexemes carry no positions or weights: phrases are bigram lexemes and tiers are separate vectors, so
no query ever needs a recheck, and the vectors (stored out of line: the rows are ~60 bytes) are only
ever read through their indexes. Each tier is a GIN bitmap scan of narrow rows and a top-N sort on the
key; the total is counted up to COUNT_LIMIT (docs/SEARCH.md shows the plans).
"""

from django.db import transaction

from steppe.search import conf
from steppe.search.documents import ItemTokens
from steppe.search.query import All, Node, Token

from .base import ENTRY_COLUMNS, BaseSearchBackend, Criteria, Matches


def render(node: Node) -> str:
    """tsquery syntax; every lexeme is quoted, so no user text is ever an operator."""
    if isinstance(node, Token):
        return "'" + node.value.replace("\\", "\\\\").replace("'", "''") + "'"
    joiner = " & " if isinstance(node, All) else " | "
    return "(" + joiner.join(render(child) for child in node.children) + ")"


def tsvector_literal(tokens: set[str]) -> str:
    # Tokens hold only letters, digits and "_" (analysis guarantees it): quoting is enough.
    return "'" + "' '".join(tokens) + "'" if tokens else ""


TIER_VECTORS = ("v_title", "v_head", "v_all")
MATCH_SQL = "SELECT entry_id FROM search_pg WHERE {vector} @@ %s::tsquery AND entry_id <= %s"
TIER_EXCLUDING_SQL = (
    "WITH tier AS MATERIALIZED ("
    "SELECT entry_id FROM search_pg WHERE {vector} @@ %s::tsquery AND entry_id <= %s), "
    "matches AS MATERIALIZED ("
    "SELECT entry_id FROM search_pg WHERE v_all @@ %s::tsquery AND entry_id <= %s) "
    "SELECT entry_id FROM tier JOIN matches USING (entry_id)"
)
COUNT_SQL = "SELECT count(*) FROM ({matches} LIMIT %s) AS capped"
# The plan is chosen here, not left to the planner: always the GIN bitmap first. Its estimates are
# poor for tsquery matches, and a sequential scan or a walk down the primary key would test each
# row's vector, i.e. read it from TOAST (hundreds of milliseconds); the bitmap reads no vector.
PLAN_SETTINGS = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),"
    " set_config('work_mem', '32MB', true)"  # the bitmap of a common word stays exact: no recheck
)
# Inside an outer transaction the settings would outlive this search: put them back.
RESET_SETTINGS = "RESET enable_seqscan; RESET enable_indexscan; RESET work_mem"


class PostgresSearchBackend(BaseSearchBackend):
    vendor = "postgresql"

    def _token_values(self, tokens: ItemTokens) -> tuple[str, ...]:
        title = tokens.title.union(tokens.facets)
        head = title | tokens.head
        return (
            tsvector_literal(title),
            tsvector_literal(head),
            tsvector_literal(head | tokens.body),
        )

    def _insert_tokens(self, rows: list[tuple[int, tuple[str, ...]]]) -> None:
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy("COPY search_pg (entry_id, v_title, v_head, v_all) FROM STDIN") as copy:
                for key, values in rows:
                    copy.write_row((key, *values))

    def _insert_entries(self, rows: list[tuple]) -> None:
        columns = ", ".join(("id", *ENTRY_COLUMNS))
        sql = f"COPY search_searchentry ({columns}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def _delete_tokens(self, keys: list[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_pg WHERE entry_id = ANY(%s)", [keys])

    def _clear_tokens(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_pg")

    def after_reindex(self) -> None:
        # VACUUM sets the visibility map, without which the facet counts could not be read from the
        # covering index alone (index-only scan); it cannot run inside a transaction.
        with self.connection.cursor() as cursor:
            for table in ("search_pg", "search_searchentry", "search_searchword"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")

    def _match(self, criteria: Criteria, tier: int) -> tuple[str, list]:
        """SQL and parameters of the matches of a tier (2: all matches), newest first.

        Exclusions go into the tsquery of the full vector: GIN answers `a & !b` exactly (it knows
        which items contain b), so no vector is read. A title or head tier with exclusions joins
        its own vector's matches with those.
        """
        parts = []
        if criteria.positive is not None:
            parts.append(render(criteria.positive))
        if criteria.facets is not None:
            parts.append(render(criteria.facets))
        required = " & ".join(parts)
        full = required
        if criteria.negative is not None:
            full = f"{required} & !{render(criteria.negative)}"
        if tier == 2:
            return MATCH_SQL.format(vector="v_all"), [full, criteria.max_key]
        vector = TIER_VECTORS[tier]
        if criteria.negative is None:  # facets are in every vector: the tier's own is enough
            return MATCH_SQL.format(vector=vector), [required, criteria.max_key]
        # Both conditions through their own GIN index, joined on the key. In one WHERE clause the
        # planner scans one index and tests the other vector row by row, reading it from TOAST.
        return TIER_EXCLUDING_SQL.format(vector=vector), [
            required,
            criteria.max_key,
            full,
            criteria.max_key,
        ]

    def _run(
        self, criteria: Criteria, *, limit: int, date_page: tuple[int, int] | None, count: bool
    ) -> Matches:
        ranked: list[tuple[int, int]] = []
        seen: set[int] = set()
        nested = self.connection.in_atomic_block
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            cursor.execute(PLAN_SETTINGS)
            tiers = (0, 1, 2) if criteria.positive is not None else (2,)
            for tier in tiers:
                if len(ranked) >= limit:
                    break
                sql, params = self._match(criteria, tier)
                cursor.execute(
                    f"{sql} ORDER BY entry_id DESC LIMIT %s", [*params, limit + len(ranked)]
                )
                for (key,) in cursor.fetchall():
                    if key not in seen:
                        seen.add(key)
                        ranked.append((key, tier))
            ranked = ranked[:limit]
            full, params = self._match(criteria, 2)
            total = len(ranked)
            if len(ranked) >= limit and count:
                cursor.execute(COUNT_SQL.format(matches=full), [*params, conf.count_limit() + 1])
                total = cursor.fetchone()[0]
            by_date = None
            if date_page is not None:
                offset, size = date_page
                cursor.execute(
                    f"{full} ORDER BY entry_id DESC LIMIT %s OFFSET %s", [*params, size, offset]
                )
                by_date = [key for (key,) in cursor.fetchall()]
            if nested:
                cursor.execute(RESET_SETTINGS)
        return Matches(ranked=ranked, by_date=by_date, total=total)

    def word_candidates(self, word: str, *, limit: int) -> list[tuple[str, str, int]]:
        with self.connection.cursor() as cursor:
            # `%%` is pg_trgm's similarity operator (threshold pg_trgm.similarity_threshold, 0.3).
            cursor.execute(
                "SELECT word, display, doc_count FROM search_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, doc_count DESC LIMIT %s",
                [word, word, limit],
            )
            return list(cursor.fetchall())

    def explain(self, criteria: Criteria, *, limit: int) -> str:
        lines = []
        nested = self.connection.in_atomic_block
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            cursor.execute(PLAN_SETTINGS)
            statements = []
            for tier in (0, 1, 2):
                sql, params = self._match(criteria, tier)
                statements.append(
                    (f"tier {tier}", f"{sql} ORDER BY entry_id DESC LIMIT %s", [*params, limit])
                )
            full, params = self._match(criteria, 2)
            statements.append(
                ("count", COUNT_SQL.format(matches=full), [*params, conf.count_limit() + 1])
            )
            for name, sql, params in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
                lines.append(f"--- {name}: {sql} {params}")
                lines += [row[0] for row in cursor.fetchall()]
            if nested:
                cursor.execute(RESET_SETTINGS)
        return "\n".join(lines)
