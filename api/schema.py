"""OpenAPI links: how a client walks from one call to the next, declared in /api/schema/.

An inspection's life over the API is create → answer each criterion (and add photos) →
submit → approve or return. The links say which value of one response (the new inspection's
`id`) fills which parameter of the next call; clients read them, and so does the stateful
schemathesis run (tests/api/test_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

INSPECTION_FROM_BODY = {"id": "$response.body#/id"}
INSPECTION_FROM_PATH = {"id": "$request.path.id"}

# (path, method, statuses) → {link name: (target operationId, parameters, description)}
LINKS: dict[tuple[str, str, tuple[str, ...]], dict[str, tuple[str, dict[str, str], str]]] = {
    ("/api/v1/inspections/", "post", ("201", "200")): {
        "ReadInspection": ("inspections_retrieve", INSPECTION_FROM_BODY, "The inspection."),
        "SetAnswer": ("inspections_answers_update", INSPECTION_FROM_BODY, "Answer a criterion."),
        "AddPhoto": ("inspections_photos_create", INSPECTION_FROM_BODY, "Add evidence."),
        "Submit": ("inspections_submit_create", INSPECTION_FROM_BODY, "Submit it."),
    },
    ("/api/v1/inspections/{id}/answers/{criterion_code}/", "put", ("200",)): {
        "SetAnotherAnswer": (
            "inspections_answers_update",
            INSPECTION_FROM_PATH,
            "Answer another criterion of the same inspection.",
        ),
        "Submit": ("inspections_submit_create", INSPECTION_FROM_PATH, "Submit the inspection."),
    },
    ("/api/v1/inspections/{id}/photos/", "post", ("201", "200")): {
        "SetAnswer": ("inspections_answers_update", INSPECTION_FROM_PATH, "Answer a criterion."),
        "Submit": ("inspections_submit_create", INSPECTION_FROM_PATH, "Submit the inspection."),
    },
    ("/api/v1/inspections/{id}/submit/", "post", ("200",)): {
        "Approve": ("inspections_approve_create", INSPECTION_FROM_PATH, "Approve it."),
        "Return": ("inspections_return_create", INSPECTION_FROM_PATH, "Return it with reasons."),
        "Score": ("inspections_score_retrieve", INSPECTION_FROM_PATH, "Its score."),
    },
    ("/api/v1/inspections/{id}/return/", "post", ("200",)): {
        "SetAnswer": ("inspections_answers_update", INSPECTION_FROM_PATH, "Correct an answer."),
        "Submit": ("inspections_submit_create", INSPECTION_FROM_PATH, "Submit it again."),
    },
}


def add_links(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """A drf-spectacular postprocessing hook: LINKS into the responses they leave from."""
    for (path, method, statuses), links in LINKS.items():
        responses = result["paths"][path][method]["responses"]
        for status in statuses:
            responses[status]["links"] = {
                name: {"operationId": target, "parameters": parameters, "description": text}
                for name, (target, parameters, text) in links.items()
            }
    return result
