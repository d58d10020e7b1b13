"""The inbox on the web and over the API, choices, unsubscribe links, and replayed requests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inspections import services
from inspections.errors import DomainError
from inspections.models import Notification, NotificationPreference
from tests.accounts import sign_in
from tests.api.conftest import client_for
from tests.inspections.builders import submitted_inspection


@pytest.fixture
def told(addressed: Any, open_round: Any, org: Any) -> Any:
    """The inspector was assigned the ward, then the school (two notifications)."""
    for unit in (org.ward, org.school):
        services.assignments_create(
            by=addressed.internal_affairs,
            round=open_round,
            inspector=addressed.inspector,
            units=[unit],
        )
    return addressed


def signed_in(person: Any) -> Client:
    return sign_in(person)


def test_the_bell_shows_the_unread_count_in_one_query(
    told: Any, django_assert_num_queries: Any
) -> None:
    client = signed_in(told.inspector)
    page = client.get("/").content.decode()
    assert 'class="bell bell--on"' in page
    assert '<span class="bell__count">2<' in page
    from web.context_processors import Bell

    bell = Bell(told.inspector)
    with django_assert_num_queries(1):
        assert bell.unread == 2
        assert bell.unread == 2  # counted once per page


def test_the_inbox_lists_newest_first_and_a_link_marks_read_and_lands_on_its_page(
    told: Any,
) -> None:
    client = signed_in(told.inspector)
    page = client.get(reverse("notifications")).content.decode()
    assert page.index("Trường Tiểu học An Lạc") < page.index("Phường An Lạc.")
    newest = Notification.objects.filter(recipient=told.inspector).first()
    response = client.get(reverse("notification-open", args=[newest.pk]))
    assert response.status_code == 302 and response["Location"] == "/"
    newest.refresh_from_db()
    assert newest.read_at is not None
    assert '<span class="bell__count">1<' in client.get("/").content.decode()
    unread = client.get(reverse("notifications") + "?unread=true").content.decode()
    assert "Trường Tiểu học An Lạc" not in unread and "Phường An Lạc" in unread


def test_mark_one_unread_again_then_all_read(told: Any) -> None:
    client = signed_in(told.inspector)
    first = Notification.objects.filter(recipient=told.inspector).first()
    client.post(reverse("notification-toggle", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notification-toggle", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is None
    response = client.post(reverse("notifications-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=told.inspector, read_at=None).exists()
    assert 'class="bell__count"' not in client.get("/").content.decode()


def test_someone_else_s_notification_is_a_404_on_the_web_and_the_api(told: Any) -> None:
    theirs = Notification.objects.filter(recipient=told.inspector).first()
    other = signed_in(told.other_inspector)
    assert other.get(reverse("notification-open", args=[theirs.pk])).status_code == 404
    assert other.post(reverse("notification-toggle", args=[theirs.pk])).status_code == 404
    api = client_for(told.other_inspector)
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post("/api/v1/notifications/nope/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_reads_one_and_reads_all(told: Any, settings: Any) -> None:
    api = client_for(told.inspector)
    listed = json.loads(api.get("/api/v1/notifications/").content)
    assert (listed["count"], listed["unread_count"]) == (2, 2)
    first = listed["results"][0]
    assert first["kind"] == "assigned" and first["read"] is False
    assert first["title"] == "Bạn được phân công kiểm tra 1 đơn vị"
    assert first["link"] == "http://testserver/"
    read = api.post(f"/api/v1/notifications/{first['id']}/read/")
    assert read.status_code == 200 and json.loads(read.content)["read"] is True
    unread = json.loads(api.get("/api/v1/notifications/?unread=true").content)
    assert unread["count"] == 1 and unread["unread_count"] == 1
    english = client_for(told.inspector, HTTP_ACCEPT_LANGUAGE="en")
    in_english = json.loads(english.get("/api/v1/notifications/").content)
    assert in_english["results"][0]["title"] == "You are assigned to inspect 1 unit"
    assert json.loads(api.post("/api/v1/notifications/read-all/").content) == {"marked": 1}
    assert json.loads(api.get("/api/v1/notifications/").content)["unread_count"] == 0
    bad = api.get("/api/v1/notifications/?unread=maybe")
    assert bad.status_code == 400 and "unread" in json.loads(bad.content)["errors"]


def test_a_leader_reads_and_clears_their_own_notifications(addressed: Any, open_round: Any) -> None:
    services.notify(
        recipients=[addressed.leader],
        kind="round_opened",
        key="test:leader",
        data={"round": "Quý IV", "starts_on": "2026-10-01", "ends_on": "2026-12-31"},
    )
    api = client_for(addressed.leader)
    assert json.loads(api.post("/api/v1/notifications/read-all/").content) == {"marked": 1}


def test_a_replayed_assignment_request_tells_the_inspector_once(
    mailbox: Any, committed: Any, addressed: Any, open_round: Any, org: Any
) -> None:
    api = client_for(addressed.internal_affairs)
    body = {"round": open_round.pk, "inspector": addressed.inspector.pk, "units": [org.ward.pk]}
    for _replay in range(2):
        with_commit = committed(lambda: api.post("/api/v1/assignments/", body, format="json"))
        assert with_commit.status_code == 201
    assert Notification.objects.filter(recipient=addressed.inspector).count() == 1
    assert len(mailbox.to(addressed.inspector.email)) == 1


def test_a_replayed_return_tells_the_inspector_once(
    mailbox: Any, committed: Any, addressed: Any, open_round: Any, org: Any
) -> None:
    inspection = submitted_inspection(
        open_round, org.ward, addressed.inspector, internal_affairs=addressed.internal_affairs
    )
    api = client_for(addressed.internal_affairs)
    body = {"reason": "Thiếu ảnh.", "criteria": ["A1"]}
    url = f"/api/v1/inspections/{inspection.pk}/return/"
    first = committed(lambda: api.post(url, body, format="json"))
    again = committed(lambda: api.post(url, body, format="json"))
    assert (first.status_code, again.status_code) == (200, 409)
    returned = Notification.objects.filter(kind="inspection_returned")
    assert returned.count() == 1
    ids = [m.message_id for m in mailbox.to(addressed.inspector.email)]
    assert ids.count(returned.get().email.message_id) == 1


def test_the_same_event_twice_is_one_notification_and_one_e_mail(addressed: Any) -> None:
    data = {"round": "Quý IV", "starts_on": "2026-10-01", "ends_on": "2026-12-31"}
    for _replay in range(2):
        services.notify(
            recipients=[addressed.inspector, addressed.inspector],
            kind="round_opened",
            key="round_opened:99",
            data=data,
        )
    [only] = Notification.objects.filter(recipient=addressed.inspector)
    assert only.email is not None


def test_choices_decide_the_e_mail_and_mandatory_categories_keep_theirs(
    addressed: Any, open_round: Any, org: Any
) -> None:
    client = signed_in(addressed.inspector)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert page.count('value="product"') == 7  # nine categories, two that always mail
    form = dict.fromkeys(
        ("assignments", "reviews", "results", "actions", "follow_up", "commitments", "exports"),
        "product",
    ) | {"returned": "digest", "overdue": "at_once"}
    assert client.post(reverse("notification-preferences"), form).status_code == 302
    services.assignments_create(
        by=addressed.internal_affairs,
        round=open_round,
        inspector=addressed.inspector,
        units=[org.ward],
    )
    told = Notification.objects.get(recipient=addressed.inspector)
    assert (told.email_choice, told.email) == ("product", None)
    refused = client.post(reverse("notification-preferences"), form | {"returned": "product"})
    assert refused.status_code == 400
    assert (
        NotificationPreference.objects.get(person=addressed.inspector, category="returned").email
        == "digest"
    )
    with pytest.raises(DomainError):
        services.preferences_set(by=addressed.inspector, choices={"overdue": "product"})


def test_the_unsubscribe_link_works_without_signing_in_and_a_get_changes_nothing(
    addressed: Any,
) -> None:
    token = services.notifications.unsubscribe_token(
        person=addressed.inspector, category="assignments"
    )
    url = reverse("notification-unsubscribe", args=[token])
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(url).status_code == 200
    assert not NotificationPreference.objects.exists()  # a link checker opened it: nothing
    done = anonymous.post(url)  # one click from the mail client (RFC 8058), no CSRF cookie
    assert done.status_code == 200
    assert "Từ nay, bạn không nhận e-mail" in done.content.decode()
    assert NotificationPreference.objects.get(person=addressed.inspector).email == "product"
    mandatory = services.notifications.unsubscribe_token(
        person=addressed.inspector, category="returned"
    )
    anonymous.post(reverse("notification-unsubscribe", args=[mandatory]))
    assert NotificationPreference.objects.get(category="returned").email == "digest"
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert anonymous.get(reverse("notification-unsubscribe", args=[forged])).status_code == 404
    assert anonymous.post(reverse("notification-unsubscribe", args=[forged])).status_code == 404
