"""'Did you mean': the closest words of the index vocabulary (titles and summaries).

Trigram similarity as pg_trgm defines it (shared trigrams of the padded word "  word " over all
trigrams), computed here for both engines: each engine only finds candidates quickly (pg_trgm's GIN
index, or the FTS5 trigram table), and the same function orders them.
"""

from .analysis import fold

MIN_SIMILARITY = 0.3
CANDIDATES = 200


def trigrams_of(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(left: str, right: str) -> float:
    a, b = trigrams_of(left), trigrams_of(right)
    return len(a & b) / len(a | b) if a or b else 0.0


def closest_words(backend, word: str, *, limit: int = 3) -> list[tuple[str, str]]:
    """Up to `limit` vocabulary words close to `word`: (folded word, display), best first."""
    folded = fold(word)[:64]
    if len(folded) < 3:
        return []
    scored = []
    for candidate, display, doc_count in backend.word_candidates(folded, limit=CANDIDATES):
        if candidate == folded:
            continue
        score = similarity(folded, candidate)
        if score >= MIN_SIMILARITY:
            scored.append((-score, -doc_count, candidate, display))
    scored.sort()
    return [(candidate, display) for _score, _count, candidate, display in scored[:limit]]
