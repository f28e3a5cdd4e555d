"""Shared fixtures. Test settings: fast password hashing, files in a temporary folder."""

from pathlib import Path

from django.conf import settings

import pytest

SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Language models load only in the knowledge tests (several seconds and ~350 MB per process).
    settings.STEPPE_KNOWLEDGE_AUTO_EXTRACT = False
    # Forms with a minimum fill time (anti-spam) accept the tests' instant posts; its own tests set it.
    settings.STEPPE_FORM_MIN_FILL_SECONDS = 0
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
def fragments(settings):
    """Page fragments cached as in production ({% fragment_cache %}; off in tests by default)."""
    from steppe.core.templatetags.steppe import fragment_cache_clear_local

    settings.STEPPE_FRAGMENT_CACHE_SECONDS = 300
    fragment_cache_clear_local()
    yield
    fragment_cache_clear_local()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS_DIR


EDITOR_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (a test fixture)


def totp_code(secret: str = EDITOR_TOTP_SECRET) -> str:
    """The current code of an authenticator app holding `secret`."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def editor(db):
    """An editor with two-factor authentication turned on (mandatory for editors)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from steppe.accounts.roles import roles_ensure
    from steppe.accounts.tests.factories import UserFactory

    user = UserFactory(
        username="editrice", display_name="Éditrice", is_staff=True, email="editrice@example.org"
    )
    user.groups.add(roles_ensure())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, EDITOR_TOTP_SECRET)
    return user


@pytest.fixture
def contributor(db):
    from allauth.account.models import EmailAddress

    from steppe.accounts.tests.factories import UserFactory

    user = UserFactory(username="saule", display_name="Saule Amanova", email="saule@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


class SMTPRecorder:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        import email
        import email.policy

        self.messages: list = []
        self._email = email
        self._policy = email.policy.default

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = self._email.message_from_bytes(envelope.content, policy=self._policy)
        self.messages.append(message)
        return "250 OK"

    def bodies(self) -> list[str]:
        return [m.get_body(preferencelist=("plain",)).get_content() for m in self.messages]

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp_server(settings):
    """Send the test's e-mail through a real SMTP server on 127.0.0.1 and read it back."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield recorder
    controller.stop()


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
