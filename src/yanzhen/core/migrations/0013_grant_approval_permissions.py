"""Give the administrator roles of an existing deployment the permissions of issue 11: the
security administrator decides approval requests and resets second factors, the system
administrator sees its own requests. (Nobody may change a role they hold, so the roles could
not give these to themselves.) New deployments get them from the demo or from the role pages."""

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


def grant(apps, schema_editor):
    # Permissions are made after the last migration; make those needed here now.
    for label in ("core", "otp_totp"):
        app_config = apps.get_app_config(label)
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
        ("otp_totp", "0003_add_timestamps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
