"""Roles as groups of permissions. Created after every migrate, so they always match the models."""

from django.contrib.auth.models import Group, Permission

EDITORS = "editors"

EDITOR_PERMISSIONS = {
    "publishing": [
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "review_article",
        "view_articlerevision",
        "view_articleimage",
        "change_articleimage",
    ],
    "library": [
        "add_document",
        "change_document",
        "delete_document",
        "view_document",
        "add_chapter",
        "change_chapter",
        "delete_chapter",
        "view_chapter",
    ],
    "taxonomy": [
        "view_country",
        "view_region",
        "add_theme",
        "change_theme",
        "view_theme",
        "add_tag",
        "change_tag",
        "view_tag",
    ],
    "accounts": ["view_user"],
    "moderation": [
        "add_refusalreason",
        "change_refusalreason",
        "view_refusalreason",
        "view_auditevent",
        "view_reportcase",
        "view_report",
        "view_appeal",
    ],
}


def roles_ensure() -> Group:
    """Create or refresh the editors group with its permissions."""
    group, _created = Group.objects.get_or_create(name=EDITORS)
    wanted = [
        perm
        for app_label, codenames in EDITOR_PERMISSIONS.items()
        for perm in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    ]
    group.permissions.set(wanted)
    return group
