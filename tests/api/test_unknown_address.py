"""An /api/ address nobody answers is a JSON 404 in the API's error shape, for any method."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/v1/nowhere/", "/api/v2/inspections/", "/api/v1/me/x/y/"])
def test_an_unknown_api_address_is_a_json_404(client, db, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found", "errors": {}}


def test_a_missing_slash_names_the_address_meant(client, db) -> None:
    response = client.post("/api/v1/me", {"x": "1"})
    assert response.status_code == 404
    assert response.json()["detail"].endswith("“/”: /api/v1/me/")


def test_the_web_keeps_its_own_page_for_unknown_addresses(client, db) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
