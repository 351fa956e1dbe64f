"""The webhooks' OpenAPI document: valid OpenAPI 3.1, complete, its examples true to its own
schemas and its fields to the handlers' models, and served at `GET /openapi.json`."""

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from bot.reviews.payload import MAX_BATCH, ReviewPayload
from bot.slack_standin import SlackStandIn
from handlers.webhooks.interactions import Interaction, Requester
from tests.conftest import make_settings, start_harness
from tests.handlers.contract import DOCUMENT_PATH, INTERACTIONS, REVIEWS, Contract, load_document

CONTRACT = Contract()
STATUSES = {
    REVIEWS: {200, 201, 400, 401, 413, 415, 500, 503},
    INTERACTIONS: {200, 201, 400, 401, 413, 415, 422, 500, 503},
}
SOURCES = ("/webhooks/reviews/{source}", "/webhooks/reviews/{source}/{secret}")


def spec_errors(document: dict[str, Any]) -> list[str]:
    return [error.message for error in OpenAPIV31SpecValidator(document).iter_errors()]


def test_the_document_is_valid_openapi_3_1() -> None:
    document = load_document()
    assert document["openapi"].startswith("3.1.")
    assert spec_errors(document) == []


def test_the_validator_would_catch_a_broken_document() -> None:
    broken = copy.deepcopy(load_document())
    del broken["paths"][REVIEWS]["post"]["responses"]["201"]["description"]
    broken["components"]["parameters"]["WebhookId"]["in"] = "body"
    assert len(spec_errors(broken)) >= 2


@pytest.mark.parametrize("path", [REVIEWS, INTERACTIONS])
def test_every_answer_and_the_standard_webhooks_headers_are_documented(path: str) -> None:
    operation = CONTRACT.operation(path)
    assert CONTRACT.statuses(path) == STATUSES[path]
    headers = [CONTRACT.resolve(p) for p in operation["parameters"]]
    assert {(h["name"], h["in"], h["required"]) for h in headers} == {
        ("webhook-id", "header", True),
        ("webhook-timestamp", "header", True),
        ("webhook-signature", "header", True),
    }
    assert operation["requestBody"]["required"] is True
    for status in STATUSES[path]:
        content = CONTRACT.node(CONTRACT.response_pointer(path, status))
        assert "schema" in content, f"{path} {status} has no schema"
    assert "standardWebhooks" in CONTRACT.document["components"]["securitySchemes"]
    assert CONTRACT.document["security"] == [{"standardWebhooks": []}]


@pytest.mark.parametrize("path", SOURCES)
def test_a_review_platforms_webhook_documents_every_answer(path: str) -> None:
    assert CONTRACT.statuses(path) == {200, 201, 400, 401, 404, 413, 415, 500, 503}
    for status in CONTRACT.statuses(path):
        assert "schema" in CONTRACT.node(CONTRACT.response_pointer(path, status))


def examples() -> Iterator[tuple[str, Any]]:
    """(pointer to a schema, an example the document gives for it), everywhere it gives one."""
    document = load_document()
    for path in document["paths"]:
        request = CONTRACT.request_pointer(path)
        for example in CONTRACT.node(request).get("examples", {}).values():
            yield request + "/schema", example["value"]
        for status in CONTRACT.statuses(path):
            response = CONTRACT.response_pointer(path, status)
            media = CONTRACT.node(response)
            if "example" in media:
                yield response + "/schema", media["example"]
            for example in media.get("examples", {}).values():
                yield response + "/schema", example["value"]
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            yield f"#/components/schemas/{name}", example


@pytest.mark.parametrize(("pointer", "example"), list(examples()))
def test_every_example_matches_its_schema(pointer: str, example: Any) -> None:
    errors = [e.message for e in CONTRACT.validator(pointer).iter_errors(example)]
    assert errors == []


def test_there_are_examples_for_both_requests_and_their_answers() -> None:
    pointers = {pointer for pointer, _ in examples()}
    for path in (REVIEWS, INTERACTIONS):
        assert CONTRACT.request_pointer(path) + "/schema" in pointers
        assert CONTRACT.response_pointer(path, 201) + "/schema" in pointers


@pytest.mark.parametrize(
    ("schema", "model"),
    [("Review", ReviewPayload), ("Interaction", Interaction), ("Requester", Requester)],
)
def test_the_documented_fields_are_the_models_fields(schema: str, model: Any) -> None:
    properties = dict(load_document()["components"]["schemas"][schema]["properties"])
    properties.pop("reviews", None)  # documented as forbidden: its presence makes a batch
    assert set(properties) == set(model.model_fields)


def test_the_documented_batch_limit_is_the_handlers() -> None:
    reviews = load_document()["components"]["schemas"]["ReviewBatch"]["properties"]["reviews"]
    assert reviews["maxItems"] == MAX_BATCH


async def test_the_document_is_served_at_openapi_json(tmp_path: Path, slack: SlackStandIn) -> None:
    h = await start_harness(make_settings(tmp_path, slack), slack)
    try:
        resp = await h.client.get("/openapi.json")
        assert resp.status == 200
        assert resp.content_type == "application/json"
        assert await resp.read() == DOCUMENT_PATH.read_bytes()
    finally:
        await h.client.close()
