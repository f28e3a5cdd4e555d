"""The language of an item: French, English or Russian (the languages extraction serves), or another.

lingua, restricted to the three served languages (~25 MB instead of 1.3 GB with every model), decides
between them. It knows no Uzbek, Kyrgyz, Tajik or Turkmen and would force such a text into one of the
three, so a text is first checked for the letters and words of the region's other languages, and
py3langid (which knows Kazakh, Kyrgyz and Mongolian) vetoes a served-language verdict. Both detectors load
lazily, once per process. Fewer than `MIN_WORDS` words: unknown (no detector is reliable there).
"""

import re
from dataclasses import dataclass
from functools import cache

from .text import WORD

SERVED = ("fr", "en", "ru")
MIN_WORDS = 4
SAMPLE_CHARS = 1500  # enough for both detectors; they cost time per character
_LANGID_SET = ["fr", "en", "ru", "kk", "ky", "mn", "az", "tr", "uk", "de", "es", "it", "fa"]

_TAJIK_LETTERS = re.compile(r"[ҳҷӣӯҲҶӢӮ]")
_KAZAKH_LETTERS = re.compile(r"[әұіһӘҰІҺ]")
_TURKMEN_LETTERS = re.compile(r"[ňýžŇÝŽ]")
_UZBEK_MARKS = re.compile(
    r"\b\w*[oOgG][ʻʼ'‘’]\w*|\b(?:va|bilan|uchun|hamda|yilda|bo‘yicha|boʻyicha|respublikasi)\b"
)


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # fr, en, ru, another ISO 639-1 code, or "" when unknown
    reason: str

    @property
    def is_served(self) -> bool:
        return self.code in SERVED


@cache
def _lingua():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.FRENCH, Language.ENGLISH, Language.RUSSIAN
    ).build()


@cache
def _langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_LANGID_SET)
    return identifier


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of `text` (only its first few thousand characters are read)."""
    sample = text[:SAMPLE_CHARS]
    words = WORD.findall(sample)
    letters = [w for w in words if not w.isdigit()]
    if len(letters) < MIN_WORDS:
        return LanguageGuess("", f"too short to tell ({len(letters)} words)")
    letter_count = sum(len(w) for w in letters) or 1
    if len(_TAJIK_LETTERS.findall(sample)) / letter_count > 0.004:
        return LanguageGuess("tg", "Tajik letters")
    if len(_TURKMEN_LETTERS.findall(sample)) / letter_count > 0.004:
        return LanguageGuess("tk", "Turkmen letters")
    if len(_UZBEK_MARKS.findall(sample)) / len(letters) > 0.06:
        return LanguageGuess("uz", "Uzbek spelling")
    fallback, probability = _langid().classify(sample)
    if fallback not in SERVED and probability > 0.9:
        if fallback in ("az", "tr") and len(_UZBEK_MARKS.findall(sample)):
            return LanguageGuess("uz", "Uzbek spelling")
        return LanguageGuess(fallback, f"py3langid ({probability:.2f})")
    if _KAZAKH_LETTERS.search(sample) and fallback == "kk":
        return LanguageGuess("kk", "Kazakh letters")
    values = _lingua().compute_language_confidence_values(sample)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if best.value < 0.5:
        return LanguageGuess("", f"no clear language (lingua {code} {best.value:.2f})")
    return LanguageGuess(code, f"lingua ({best.value:.2f})")
