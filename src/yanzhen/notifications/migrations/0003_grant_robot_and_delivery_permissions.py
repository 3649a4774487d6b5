"""Give the roles of an existing deployment the new permissions: the system administrator
sees the failed deliveries; the business roles that administer units (``core.change_unit``)
manage their units' group robots. New deployments get them from the demo or the role pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROBOT = ["view_robot", "add_robot", "change_robot", "delete_robot"]


def grant(apps, schema_editor):
    # Permissions are made after the last migration; make those needed here now.
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("core", "Role")

    def perms(*codenames):
        return list(
            Permission.objects.filter(
                content_type__app_label="notifications", codename__in=codenames
            )
        )

    for role in Role.objects.filter(kind="system_admin"):
        role.permissions.add(*perms("view_delivery"))
    units = Permission.objects.filter(content_type__app_label="core", codename="change_unit")
    for role in Role.objects.filter(kind="business", permissions__in=units).distinct():
        role.permissions.add(*perms(*ROBOT))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_events_robots_deliveries"),
        ("core", "0013_grant_approval_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
