"""Fixtures of the knowledge tests.

Extraction on publication is off for every knowledge test unless a test turns it back on: with the
immediate task backend it would load the language models on the first publish. The spaCy pipeline and
natasha load once per test session (the extraction module caches them per process); `nlp_models` only
makes that explicit and early.
"""

import pytest


@pytest.fixture(autouse=True)
def _knowledge_auto_extract_off(settings):
    settings.STEPPE_KNOWLEDGE_AUTO_EXTRACT = False


@pytest.fixture(scope="session")
def nlp_models():
    from steppe.knowledge.extraction.ner import load_models

    load_models("fr")
    load_models("ru")
    return True
