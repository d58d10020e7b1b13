import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A join path from a unit to its published lines: no column and no constraint, so the
    database has nothing to do either way (and SQLite's schema editor cannot remove a
    ForeignObject, which it would try on the way back)."""

    dependencies = [
        ("inspections", "0016_unitresult_rank_in_snapshots_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="rankingsnapshotrow",
                    name="listed_unit",
                    field=models.ForeignObject(
                        editable=False,
                        from_fields=["unit_id"],
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="published_lines",
                        serialize=False,
                        to="inspections.orgunit",
                        to_fields=["id"],
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
