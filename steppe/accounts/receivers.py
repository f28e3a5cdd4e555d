from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="accounts.ensure_roles")
def ensure_roles(sender, **kwargs) -> None:
    # post_migrate is sent once per app, and each app's permissions exist only after its own
    # signal: refreshing on every one leaves the group complete whatever the app order.
    from .roles import roles_ensure

    roles_ensure()
