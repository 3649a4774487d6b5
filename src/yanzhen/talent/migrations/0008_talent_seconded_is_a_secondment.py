from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from the data migration: PostgreSQL alters no table with pending trigger events.
    dependencies = [
        ("talent", "0007_secondment_is_one_record"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="talent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("secondment__isnull", False), ("talent_type", "seconded")),
                    models.Q(
                        models.Q(("talent_type", "seconded"), _negated=True),
                        ("secondment__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="talent_seconded_is_a_secondment",
            ),
        ),
    ]
