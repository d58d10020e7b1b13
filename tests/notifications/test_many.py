"""Telling many units at once (a ranking published to every office): the same rows as one
`notify` per unit, in a number of queries that does not grow with the units."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import EmailChoice, Notification, NotificationPreference, RoleKind
from inspections.selectors.notifications import office_people, office_people_of
from inspections.services.notifications import Event, notify, notify_each
from tests.factories import OrgUnitFactory, make_user


def _facts(unit: Any) -> dict[str, Any]:
    return {"round": "Quý IV/2026", "unit": unit.name, "group": "Khối phường, xã", "rank": 1}


def _rows() -> list[tuple[int, str, str, bool]]:
    rows = Notification.objects.order_by("recipient_id", "key")
    return [(n.recipient_id, n.key, n.email_choice, n.email_id is not None) for n in rows]


def test_many_events_make_the_rows_one_call_each_would(addressed: Any, org: Any) -> None:
    quiet = make_user("vanphong2", RoleKind.OFFICE, org.school)  # no address: the inbox only
    NotificationPreference.objects.create(
        person=addressed.ward_office, category="results", email=EmailChoice.DIGEST
    )
    units = [org.ward, org.school]
    offices = office_people_of(units)
    assert offices == {unit.pk: office_people(unit) for unit in units}
    events = [Event(offices[u.pk], f"ranking_published:1:1:{u.pk}", _facts(u)) for u in units]
    # Told already about the school: not told twice.
    notify(recipients=[quiet], kind="ranking_published", key=events[1].key, data=events[1].data)

    assert notify_each(kind="ranking_published", events=events) == 2
    batched = _rows()
    Notification.objects.all().delete()
    notify(recipients=[quiet], kind="ranking_published", key=events[1].key, data=events[1].data)
    for e in events:
        notify(recipients=e.recipients, kind="ranking_published", key=e.key, data=e.data)
    assert batched == _rows()
    assert (addressed.ward_office.pk, events[0].key, EmailChoice.DIGEST, False) in batched
    assert (quiet.pk, events[1].key, EmailChoice.PRODUCT, False) in batched


def test_telling_many_units_takes_the_same_queries_for_two_or_twenty(
    addressed: Any, org: Any
) -> None:
    def queries_to_tell(count: int) -> int:
        units = []
        for n in range(count):
            unit = OrgUnitFactory(parent=org.ward, group=org.wards)
            person = make_user(f"vp{count}x{n}", RoleKind.OFFICE, unit)
            person.email = f"vp{count}x{n}@congsoxanh.example.vn"
            person.save(update_fields=["email"])
            units.append(unit)
        with CaptureQueriesContext(connection) as captured:
            offices = office_people_of(units)
            told = notify_each(
                kind="ranking_published",
                events=[Event(offices[u.pk], f"r:{count}:{u.pk}", _facts(u)) for u in units],
            )
        # Each new unit's own office person and the ward's office above them.
        assert told == 2 * count
        return len(captured)

    assert queries_to_tell(2) == queries_to_tell(20)
