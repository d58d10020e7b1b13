"""The catalogue as scoring reads it, and class names for pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from inspections import scoring
from inspections.models import ClassificationLevel, Criterion, ModelVersion


@dataclass(frozen=True)
class VersionCatalogue:
    """A version's scoring rules and its criteria by code: what an answer write needs."""

    rules: scoring.ModelRules
    criteria: Mapping[str, Criterion]


def rules_for_version(version: ModelVersion) -> scoring.ModelRules:
    """The scoring rules of a version. Published versions are frozen, so they are cached."""
    return catalogue_for_version(version).rules


def catalogue_for_version(version: ModelVersion) -> VersionCatalogue:
    """Read once per process for a published version (its rules never change); a draft's is
    read each time. The criteria are shared between requests: read them, never change them."""
    if version.is_published and version.published_at is not None:
        return _published_catalogue(version.pk, version.published_at.isoformat())
    return _build_catalogue(version)


@lru_cache(maxsize=32)
def _published_catalogue(version_id: int, published_at: str) -> VersionCatalogue:
    # published_at is part of the key so that a reused id (test databases) never hits stale rules.
    return _build_catalogue(ModelVersion.objects.get(pk=version_id))


def _build_catalogue(version: ModelVersion) -> VersionCatalogue:
    rows = list(
        version.criteria.select_related("section").order_by("section__order", "order", "code")
    )
    return VersionCatalogue(
        rules=_build_rules(version, rows), criteria=MappingProxyType({c.code: c for c in rows})
    )


def _build_rules(version: ModelVersion, rows: list[Criterion]) -> scoring.ModelRules:
    criteria = tuple(
        scoring.CriterionRule(
            code=c.code,
            section=c.section.code,
            answer_type=scoring.AnswerType(c.answer_type),
            max_points=Decimal(c.max_points),
            bands=tuple(
                scoring.Band(minimum=Decimal(b["minimum"]), points=Decimal(b["points"]))
                for b in c.bands
            ),
            critical=c.critical,
            na_allowed=c.na_allowed,
        )
        for c in rows
    )
    classes = tuple(
        scoring.ClassRule(code=level.code, minimum_score=Decimal(level.minimum_score))
        for level in version.levels.order_by("order")
    )
    return scoring.ModelRules(
        criteria=criteria,
        classes=classes,
        critical_cap=version.critical_cap,
        top_class_section_minimum=Decimal(version.top_class_section_minimum),
        applicable_floor=Decimal(version.applicable_floor),
    )


def class_names(version_ids: set[int]) -> dict[tuple[int, str], str]:
    """(version, class code) → the class's name, for every version asked (one query)."""
    rows = ClassificationLevel.objects.filter(version_id__in=version_ids)
    return {(level.version_id, level.code): level.display_name for level in rows}
