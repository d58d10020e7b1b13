# The per-criterion scores that the services compute, stored beside the section scores so
# that pages, the score endpoint and exports read them instead of deciding a point again.

from decimal import Decimal

from django.db import migrations, models

from inspections import scoring


def _value(answer):
    if answer.not_applicable:
        return scoring.NA
    if answer.yes_no is not None:
        return answer.yes_no
    if answer.level is not None:
        return answer.level
    return answer.number


def _rule(criterion):
    return scoring.CriterionRule(
        code=criterion.code,
        section=criterion.section.code,
        answer_type=scoring.AnswerType(criterion.answer_type),
        max_points=criterion.max_points,
        bands=tuple(
            scoring.Band(minimum=Decimal(b["minimum"]), points=Decimal(b["points"]))
            for b in criterion.bands
        ),
        critical=criterion.critical,
        na_allowed=criterion.na_allowed,
    )


def fill_criterion_scores(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    Criterion = apps.get_model("inspections", "Criterion")
    Answer = apps.get_model("inspections", "Answer")
    rules = {}
    for inspection in Inspection.objects.select_related("round").iterator():
        version_id = inspection.round.version_id
        if version_id not in rules:
            criteria = Criterion.objects.filter(version_id=version_id).select_related("section")
            rules[version_id] = [
                _rule(c) for c in criteria.order_by("section__order", "order", "code")
            ]
        values = {
            a.criterion.code: _value(a)
            for a in Answer.objects.filter(inspection=inspection).select_related("criterion")
        }
        scores = []
        for rule in rules[version_id]:
            result = scoring.criterion_result(rule, values.get(rule.code))
            scores.append(
                {
                    "code": result.code,
                    "earned": str(result.earned) if result.earned is not None else None,
                    "possible": str(result.possible) if result.possible is not None else None,
                    "critical_failed": result.critical_failed,
                }
            )
        inspection.criterion_scores = scores
        inspection.save(update_fields=["criterion_scores"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="criterion_scores",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(fill_criterion_scores, migrations.RunPython.noop),
    ]
