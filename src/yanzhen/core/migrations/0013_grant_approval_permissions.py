"""Give the administrator roles of an existing deployment the permissions of issue 11: the
security administrator decides approval requests and resets second factors, the system
administrator sees its own requests. (Nobody may change a role they hold, so the roles could
not give these to themselves.) New deployments get them from the demo or from the role pages.

It does not depend on ``otp_totp``'s migrations: ``otp_totp`` depends on the first migration of
``core`` (its devices belong to users), and the squashes of ``core`` replace both that one and
this one, so the dependency would make them circular. A deployment that has reached this
migration has ``otp_totp`` migrated (its first migration came with the first ``migrate``);
where its models are not in the migration state (a new database migrated through the old files,
which has no roles to grant to), its permissions are looked up or made by name."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "security_admin": [
        ("core", "view_approvalrequest"),
        ("core", "decide_approvalrequest"),
        ("otp_totp", "view_totpdevice"),
        ("otp_totp", "delete_totpdevice"),
    ],
    "system_admin": [("core", "view_approvalrequest")],
}


def _otp_permissions(apps):
    """The device permissions ``create_permissions`` makes for ``otp_totp``, by name."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    device, _ = ContentType.objects.get_or_create(app_label="otp_totp", model="totpdevice")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.get_or_create(
            content_type=device,
            codename=f"{action}_totpdevice",
            defaults={"name": f"Can {action} TOTP device"},
        )


def grant(apps, schema_editor):
    # Permissions are made after the last migration; make those needed here now.
    for label in ("core", "otp_totp"):
        try:
            app_config = apps.get_app_config(label)
        except LookupError:  # otp_totp not migrated yet: a new database (see above)
            _otp_permissions(apps)
            continue
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("core", "Role")
    for kind, names in GRANTS.items():
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in names
        ]
        for role in Role.objects.filter(kind=kind):
            role.permissions.add(*perms)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0012_approval_request"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
