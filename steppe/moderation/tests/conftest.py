import pytest


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    """Forms are sent at once in tests; the fill-time check has its own tests."""
    settings.STEPPE_FORM_MIN_FILL_SECONDS = 0


@pytest.fixture
def second_editor(db):
    from steppe.accounts.roles import roles_ensure
    from steppe.accounts.tests.factories import UserFactory

    user = UserFactory(username="redacteur", display_name="Second éditeur", is_staff=True)
    user.groups.add(roles_ensure())
    from allauth.mfa.totp.internal.auth import TOTP

    from conftest import EDITOR_TOTP_SECRET

    TOTP.activate(user, EDITOR_TOTP_SECRET)  # editors must have a second factor
    return user
