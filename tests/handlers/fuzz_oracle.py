"""What the webhook fuzzing expects back: the status the documented order of checks predicts,
an answer that matches the document, and the bugs already known (tolerated by the
properties; `test_every_known_bug_is_still_there` fails once one is fixed)."""

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.handlers.contract import INTERACTIONS
from tests.handlers.fuzz_requests import (
    CONTRACT,
    DEPARTMENTS,
    JSON_TYPES,
    LIMIT,
    OTHER_TYPES,
    Attempt,
)


def _charset(content_type: str) -> str | None:
    match = re.search(r";\s*charset=\"?([^\";]*)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def is_unicode(data: Any) -> bool:
    """Whether every string in `data` is storable Unicode text: JSON lets `\\ud800` and
    `\\u0000` through, but a lone surrogate is no character and PostgreSQL cannot store a NUL
    in text (the document says so), so a receiver refuses them."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not _holds_nul(data)


def _holds_nul(data: Any) -> bool:
    # A stack, not recursion: fuzzed bodies nest deeper than Python's recursion limit.
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item
    return False


def is_standard(attempt: Attempt) -> bool:
    """Whether the body is JSON as RFC 8259 has it: Python's parser also takes NaN and
    Infinity, which a schema's bounds cannot catch (NaN is neither below 1 nor above 5)."""

    def refuse(constant: str) -> Any:
        raise ValueError(constant)

    try:
        json.loads(attempt.body, parse_constant=refuse)
    except ValueError:
        return False
    return True


def gate(attempt: Attempt) -> int | None:
    """The status the checks before JSON must answer, in the documented order; None when
    the request gets past them; 0 when the Content-Type is one this oracle cannot judge."""
    content_type = attempt.content_type
    if content_type not in JSON_TYPES and content_type not in OTHER_TYPES:
        return 0
    if content_type not in JSON_TYPES or (attempt.encoding or "identity").lower() != "identity":
        return 415
    if (_charset(content_type) or "utf-8").lower() != "utf-8":
        return 415
    if len(attempt.body) > LIMIT:
        return 413
    try:
        attempt.body.decode("utf-8")
    except UnicodeDecodeError:
        return 400
    return None if attempt.signing == "valid" else 401


def expected(attempt: Attempt) -> set[int]:
    """Every status the document allows for `attempt`, judged as the receiver should."""
    documented = CONTRACT.statuses(attempt.path)
    before_json = gate(attempt)
    if before_json == 0:
        return documented - {200, 201} if attempt.signing != "valid" else documented
    if before_json is not None:
        return {before_json}
    try:
        data = attempt.json()
    except (ValueError, RecursionError):
        return {400}
    if not is_standard(attempt) or not is_unicode(data) or not CONTRACT.accepts(attempt.path, data):
        return documented - {401, 413, 415, 503}
    if attempt.path == INTERACTIONS:
        if data["department"] not in DEPARTMENTS:
            return {422}
        if "email" in data["requester"]:
            return {200, 201, 422}  # the Slack stand-in knows none of these addresses
        return {200, 201}
    items = data.get("reviews", [data])
    unknown = any(item.get("department") not in (None, *DEPARTMENTS) for item in items)
    return {200, 201, 400} if unknown else {200, 201}


@dataclass(frozen=True)
class KnownBug:
    name: str
    what: str
    applies: Callable[[Attempt], bool] = field(repr=False)
    example: Attempt = field(repr=False)


# Bugs found and not yet fixed, each with the smallest input that shows it;
# `test_every_known_bug_is_still_there` keeps each entry honest. All found so far are fixed
# (see the git log).
KNOWN_BUGS: tuple[KnownBug, ...] = ()


def known_bug(attempt: Attempt) -> KnownBug | None:
    return next((bug for bug in KNOWN_BUGS if bug.applies(attempt)), None)


@contextlib.contextmanager
def unless_known_bug(attempt: Attempt) -> Iterator[None]:
    """Let a failed check pass when a known bug explains it (and only then)."""
    try:
        yield
    except AssertionError:
        if known_bug(attempt) is None:
            raise


def answer_of(content_type: str, raw: bytes) -> Any:
    assert content_type == "application/json", f"{content_type}: {raw[:300]!r}"
    return json.loads(raw)


def check_answer(attempt: Attempt, status: int, answer: Any) -> None:
    assert status < 500 or (status == 503 and gate(attempt) in (None, 0)), (status, answer)
    problems = CONTRACT.problems(attempt.path, status, answer)
    assert not problems, (status, answer, problems)
    allowed = expected(attempt)
    assert status in allowed, f"{status} {answer} but expected one of {sorted(allowed)}"
    if status == 503:
        # Only Slack, for an email requester, may be down here: the database is up.
        assert answer["error"] == "slack unavailable", answer
    if "results" in answer:
        results = answer["results"]
        assert len(results) == len(attempt.json()["reviews"])
        for key in ("created", "updated", "duplicate", "rejected"):
            assert answer[key] == sum(r["status"] == key for r in results), answer
        assert (status == 201) == (answer["created"] > 0)
    elif 200 <= status < 300:
        sent = attempt.json()
        # Trimmed by the receiver, whose idea of whitespace is Unicode's, not str.strip's.
        assert answer["id"].strip() == sent["id"].strip(), (answer, sent)
