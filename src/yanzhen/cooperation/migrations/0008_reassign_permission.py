"""The county office's permission to change a cooperation's owner and base (issue 11, item 7),
granted to the business roles that already change cooperations across the whole county."""

from typing import Any

from django.db import migrations

CODENAME = "reassign_cooperation"
NAME = "可以变更合作的登记单位和所属基地（县合作办）"


def grant(apps: Any, schema_editor: Any) -> None:
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    role_model = apps.get_model("core", "Role")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label="cooperation", model="cooperation"
    )
    permission, _ = permission_model.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    offices = role_model.objects.filter(
        kind="business",
        data_scope="all",
        permissions__content_type=content_type,
        permissions__codename="change_cooperation",
    )
    for role in offices:
        role.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0007_base_order_idx"),
        ("core", "0008_unit_order_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="cooperation",
            options={
                "base_manager_name": "all_objects",
                "ordering": ["-intention_date", "-id"],
                "permissions": [
                    ("export_cooperation", "可以导出合作台账"),
                    ("import_cooperation", "可以导入合作台账"),
                    (CODENAME, NAME),
                ],
                "verbose_name": "合作项目",
                "verbose_name_plural": "合作项目",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
