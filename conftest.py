"""Shared fixtures. Test settings: fast password hashing, files in a temporary folder."""

from pathlib import Path

from django.conf import settings

import pytest

SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS_DIR


@pytest.fixture
def editor(db):
    from steppe.accounts.roles import roles_ensure
    from steppe.accounts.tests.factories import UserFactory

    user = UserFactory(username="editrice", is_staff=True)
    user.groups.add(roles_ensure())
    return user


@pytest.fixture(autouse=True)
def _french_by_default():
    # LocaleMiddleware leaves the last request's language active in the thread: reset it, so that
    # reverse() in one test does not inherit /en/ from the previous one.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(transactional_db):
    """Regions, countries and themes, re-seeded if a transactional test's flush removed them.

    serialized_rollback should restore them, but it is not reliable once Playwright's greenlets have
    run in the session (the rows come back empty after other database tests ran first), so the seed
    function of the data migration is run again: it is idempotent.
    """
    import importlib

    from django.apps import apps

    from steppe.accounts.roles import roles_ensure
    from steppe.taxonomy.models import Country

    if not Country.objects.exists():
        migration = importlib.import_module(
            "steppe.taxonomy.migrations.0002_seed_regions_countries_themes"
        )
        migration.seed(apps, None)
    roles_ensure()
