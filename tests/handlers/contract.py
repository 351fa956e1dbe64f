"""The webhooks' OpenAPI document as the tests use it: the schema of each request and answer,
a check of an answer against it, Hypothesis strategies derived from it, and signing.

Only the subset of JSON Schema the document uses is turned into strategies (types, `enum`,
`const`, patterns, lengths, bounds, `format` date-time and uri, `$ref`, `anyOf`/`oneOf`);
every generated value is checked against the document before it is used, so a strategy
that drifts from the schema fails loudly instead of testing the wrong thing.
"""

import copy
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import provisional
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import handlers.webhooks

DOCUMENT_PATH = Path(handlers.webhooks.__file__).with_name("openapi.json")
BASE = "urn:quality-bot:webhooks"
REVIEWS, INTERACTIONS = "/webhooks/reviews", "/webhooks/interactions"

Schema = Mapping[str, Any]


def load_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT_PATH.read_text())
    return document


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class Contract:
    """The document, with validators for what it says each path takes and answers."""

    def __init__(self, document: dict[str, Any] | None = None) -> None:
        self.document = document if document is not None else load_document()
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(BASE, resource)

    def operation(self, path: str) -> dict[str, Any]:
        operation: dict[str, Any] = self.document["paths"][path]["post"]
        return operation

    def node(self, pointer: str) -> dict[str, Any]:
        target: Any = self.document
        for part in pointer.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return dict(target)

    def resolve(self, node: Schema) -> dict[str, Any]:
        """`node`, with a `$ref` at its top replaced by what it points to (siblings kept)."""
        resolved = dict(node)
        while "$ref" in resolved:
            resolved = merge(self.node(resolved.pop("$ref")), resolved)
        return resolved

    def statuses(self, path: str) -> set[int]:
        return {int(status) for status in self.operation(path)["responses"]}

    def validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": BASE + pointer},
            registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def request_pointer(self, path: str) -> str:
        return _pointer("paths", path, "post", "requestBody", "content", "application/json")

    def response_pointer(self, path: str, status: int) -> str:
        response = self.operation(path)["responses"][str(status)]
        where = response.get("$ref") or _pointer("paths", path, "post", "responses", str(status))
        return f"{where}/content/application~1json"

    def problems(self, path: str, status: int, answer: Any) -> list[str]:
        """What is wrong with `answer` as the `status` answer of `path`: nothing, ideally."""
        if status not in self.statuses(path):
            return [f"status {status} is not documented for {path}"]
        validator = self.validator(self.response_pointer(path, status) + "/schema")
        errors = validator.iter_errors(answer)
        return [f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message}" for e in errors]

    def accepts(self, path: str, body: Any) -> bool:
        """Whether `body` is a request body the document promises to take."""
        return bool(self.validator(self.request_pointer(path) + "/schema").is_valid(body))

    def strategy(self, pointer: str, *, text_cap: int = 120) -> st.SearchStrategy[Any]:
        """Values valid against the schema at `pointer` in the document."""
        schema = self.resolve(self.node(pointer))
        return _values(self, schema, text_cap).filter(self.validator(pointer).is_valid)


def merge(base: Schema, extra: Schema) -> dict[str, Any]:
    """Both schemas at once, for the keywords the document combines: a `$ref` with siblings,
    and an object with the branch of an `anyOf`/`oneOf` it takes."""
    merged = copy.deepcopy(dict(base))
    for key, value in extra.items():
        if key == "properties":
            props = merged.setdefault("properties", {})
            for name, sub in value.items():
                props[name] = merge(props[name], sub) if name in props else sub
        elif key == "required":
            merged["required"] = sorted({*merged.get("required", []), *value})
        elif key == "type" and "type" in merged:
            ours = {merged["type"]} if isinstance(merged["type"], str) else set(merged["type"])
            theirs = {value} if isinstance(value, str) else set(value)
            merged["type"] = sorted(ours & theirs)
        elif key == "pattern" and "pattern" in merged and merged["pattern"] != value:
            merged.setdefault("allOf", []).append({"pattern": value})
        else:
            merged[key] = value
    return merged


def _values(contract: Contract, schema: Schema, text_cap: int) -> st.SearchStrategy[Any]:
    schema = contract.resolve(schema)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            base = {k: v for k, v in schema.items() if k != key}
            branches = [merge(base, contract.resolve(b)) for b in schema[key]]
            return st.one_of([_values(contract, b, text_cap) for b in branches])
    types = schema.get("type", ["string", "number", "boolean", "null", "object", "array"])
    types = [types] if isinstance(types, str) else types
    return st.one_of([_typed(contract, schema, t, text_cap) for t in types])


def _typed(contract: Contract, schema: Schema, kind: str, cap: int) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.floats(low, high, allow_nan=False, allow_infinity=False) | st.integers(
            None if low is None else int(low), None if high is None else int(high)
        )
    if kind == "string":
        return _string(schema, cap)
    if kind == "array":
        items = _values(contract, schema.get("items", {}), cap)
        low = schema.get("minItems", 0)
        return st.lists(items, min_size=low, max_size=min(schema.get("maxItems", 8), low + 7))
    if kind == "object":
        return _object(contract, schema, cap)
    raise ValueError(f"no strategy for type {kind!r}")


def _string(schema: Schema, cap: int) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    fits = (lambda s: low <= len(s)) if high is None else (lambda s: low <= len(s) <= high)
    if schema.get("format") == "date-time":
        return date_times().filter(lambda s: re.search(schema.get("pattern", ""), s) is not None)
    if schema.get("format") == "uri":
        return provisional.urls().filter(fits)
    if "pattern" in schema:
        pattern: str = schema["pattern"]
        # An anchored pattern is a full match: `$` would also allow a trailing newline.
        anchored = pattern.startswith("^") and pattern.endswith("$")
        regex = pattern[1:-1] if anchored else pattern
        return st.from_regex(regex, fullmatch=anchored).filter(fits).filter(_storable)
    return st.text(min_size=low, max_size=min(high or cap, cap)).filter(_storable)


def _storable(text: str) -> bool:
    # A JSON string is Unicode text; a lone surrogate is not a character at all, and the
    # document's description rules out NUL (PostgreSQL cannot store it in text).
    return "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _object(contract: Contract, schema: Schema, cap: int) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = dict(schema.get("properties", {}))
    required = set(schema.get("required", []))
    # `{"not": {}}` is a property that must be absent (`reviews` in a single review).
    allowed = {k: v for k, v in properties.items() if contract.resolve(v).get("not") != {}}
    fields = st.fixed_dictionaries(
        {k: _values(contract, v, cap) for k, v in allowed.items() if k in required},
        optional={k: _values(contract, v, cap) for k, v in allowed.items() if k not in required},
    )
    if schema.get("additionalProperties") is False:
        return fields
    # Unknown fields are ignored by the receiver: send some, to hold it to that.
    extra = st.dictionaries(
        st.text(max_size=12).filter(lambda k: k not in properties), json_values(), max_size=2
    )
    return st.builds(lambda known, unknown: {**unknown, **known}, fields, extra)


def date_times() -> st.SearchStrategy[str]:
    """RFC 3339 date-times, in any offset, over six centuries (the fuzzing's junk has the
    edges of datetime's range)."""
    offsets = st.integers(-14 * 60 + 1, 14 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
    moments = st.datetimes(
        datetime(1800, 1, 1), datetime(2400, 1, 1), timezones=st.just(UTC) | offsets
    )
    return moments.map(lambda d: d.isoformat().replace("+00:00", "Z"))


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=max_leaves,
    )
