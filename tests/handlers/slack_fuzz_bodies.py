"""What the Slack fuzzing sends to `/slack/events`: one `SlackBody` is a request as Slack, or
anyone holding the signing secret, could put it on the wire. Each family starts from bodies
Slack itself sends to the app's listeners (half of them aimed at what the listener acts on: a
served request, an open poll, a complete rating), then breaks some: fields left out or given a
value of another JSON type or a size Slack never sends, random values in the free ones,
padding, other Content-Types.

A break of a field the listener needs to know *what to do* (who it is, which poll, which score,
the modal's state and metadata, the trigger, the response_url of a command) makes a body Slack
never sends: from it the app must store nothing. Breaking any other field (the team, the token,
`authorizations`, the event id, …) leaves storing to the listener's own logic."""

import copy
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import KW_ONLY, dataclass
from itertools import count
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from bot.blocks.home import RATE_ACTION
from bot.blocks.poll import COMMENT_ACTION, MAX_COMMENT, RATE_VIEW
from bot.slack.manifest import RATE_SHORTCUT_CALLBACK_ID
from handlers.bodies import SLACK_BODY_LIMIT
from tests.handlers.contract import json_values
from tests.support import TEAM_ID

# Markers replaced on the wire (Hypothesis replays a drawn body while it shrinks, and the
# database moves on between examples):
FRESH = "zzFRESHzz"  # each occurrence a new id: Slack spends a trigger_id once
POLL_ID = "zzPOLLIDzz"  # the id of a poll waiting for an answer
POLL_USER = "zzPOLLUSERzz"  # the person it waits for
RESPONSE_URL = "zzRESPONSEURLzz"  # a response_url of the Slack stand-in

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# The people of tests/conftest.py's quality.yml (an admin, IT's manager and member, Finance's
# manager) and people it does not know.
PEOPLE = ("U0ADMIN01", "U0IT00001", "U0IT00002", "U0FIN0001", "U0EMP0001", "W0EMP0002")
SERVICE_CHANNELS = {"C0ITHELP1": ("U0IT00001", "U0IT00002"), "C0FINANCE": ("U0FIN0001",)}
CHANNELS = (*SERVICE_CHANNELS, "C0GENERAL1", "D0DM00001")
SUBCOMMANDS = (
    "help", "rate", "report", "departments", "digest", "digest post", "export", "privacy",
    "optout", "optin", "forget",
)  # fmt: skip
WORDS = ("it", "IT", "finance", "Finance", "all", "*", "4", "52", "0", "-1", "8w", "weeks", "post")
SCORE_ACTIONS = tuple(f"poll_score_{score}" for score in range(1, 6))
ACTION_IDS = (*SCORE_ACTIONS, COMMENT_ACTION, RATE_ACTION)
USER_ID = re.compile(r"[UW][A-Z0-9]+")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class SlackBody:
    """One request to `/slack/events`; signed with the app's signing secret when sent."""

    family: str  # event, command, interaction, raw
    kind: str  # what it started as, e.g. "block_actions:poll_comment", for the tally
    body: str
    content_type: str | None
    may_store: bool  # False: Slack never sends this; nothing may be stored from it
    expect_ok: bool = False  # unbroken and for one of the app's listeners: answered 200

    def wire(self, *, response_url: str, poll: tuple[str, str]) -> bytes:
        fresh = _fresh_ids()
        text = re.sub(FRESH, lambda _: next(fresh), self.body)
        text = text.replace(POLL_ID, poll[0]).replace(POLL_USER, poll[1])
        text = text.replace(RESPONSE_URL, response_url)
        # Raw bytes that are not UTF-8 were drawn as surrogate escapes: back to those bytes.
        return text.encode("utf-8", errors="surrogateescape")


_sent = count()


def _fresh_ids() -> Iterator[str]:
    while True:
        yield f"{next(_sent)}.{uuid.uuid4().hex[:12]}"


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, in proportion to its weight."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


def now_and_then(weight: int = 10) -> st.SearchStrategy[bool]:
    """True once in `weight` draws."""
    return st.sampled_from([False] * (weight - 1) + [True])


# --- values ---------------------------------------------------------------------------------

# Any text a person can type: every plane, control and format characters (not lone
# surrogates: Slack sends UTF-8).
ANY_TEXT = st.text(max_size=200)
CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=40)
LONG = st.text(min_size=1, max_size=3).map(lambda s: s * 400)
USER_IDS = weighted(
    (3, st.sampled_from(PEOPLE)), (1, st.from_regex(r"[UW][A-Z0-9]{8,10}", fullmatch=True))
)
MENTIONS = st.one_of(
    USER_IDS.map(lambda u: f"<@{u}>"),
    st.tuples(USER_IDS, st.text(max_size=20)).map(lambda t: f"<@{t[0]}|{t[1]}>"),
    st.sampled_from(CHANNELS).map(lambda c: f"<#{c}|{c.lower()}>"),
    st.sampled_from(["<#C0ITHELP1>", "<!here>", "<!subteam^S0IT00001|@it>", "<@>", "<#|x>"]),
    st.sampled_from(["@sam", "#it-help", "<https://example.com|link>", "&lt;&gt;&amp;"]),
)
# Text that has broken text handling somewhere: NUL (PostgreSQL cannot store it), bidi and
# zero-width characters, a BOM, line separators, markup Slack reads.
NASTY = st.sampled_from(
    ["\x00", "a\x00b", "\u202egnp.exe", "\ufeffhi", "\u200b", "a\u2028b", "\r\n", "*b* _i_ `c`"]
)
TEXT = st.one_of(
    ANY_TEXT,
    CONTROL,
    NASTY,
    st.tuples(ANY_TEXT, NASTY).map("".join),
    st.lists(st.one_of(st.sampled_from(WORDS), MENTIONS, st.text(max_size=12)), max_size=8).map(
        " ".join
    ),
    LONG,
)
TS = st.builds(
    "{}.{:06d}".format, st.integers(1_500_000_000, 1_900_000_000), st.integers(0, 999_999)
)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def retyped(original: Any) -> st.SearchStrategy[Any]:
    """A JSON value of another type than `original`'s, or for a string one far longer than
    Slack sends there."""
    other = json_values(max_leaves=6).filter(lambda v: _kind(v) != _kind(original))
    return other | LONG if isinstance(original, str) else other


# --- breaking a body ------------------------------------------------------------------------


def _paths(value: Any, prefix: Path = ()) -> list[Path]:
    found: list[Path] = []
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        found.append((*prefix, key))
        found += _paths(item, (*prefix, key))
    return found


def _at(value: Any, path: Path) -> Any:
    for key in path:
        value = value[key]
    return value


def needs(needed: tuple[Path, ...], path: Path) -> bool:
    """Whether breaking `path` breaks a field the listener needs (or what holds one)."""
    return any(path == n[: len(path)] for n in needed)


def within(roots: tuple[Path, ...], path: Path) -> bool:
    return any(path[: len(root)] == root for root in roots)


@st.composite
def broken(
    draw: st.DrawFn,
    base: dict[str, Any],
    needed: tuple[Path, ...],
    *,
    optional: tuple[Path, ...] = (),
    form: bool = False,
) -> tuple[dict[str, Any], bool]:
    """`base` with up to three fields left out or retyped (in a form: given another string),
    and whether it still holds every field the listener needs. Leaving out what lies in an
    `optional` part (an input nobody filled in) breaks nothing; giving it another type does."""
    body = copy.deepcopy(base)
    intact = True
    # Half of them whole, so that most reach a listener that does its work.
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 1, 2, 3]), label="breaks")):
        paths = _paths(body)
        if not paths:
            break
        path = draw(st.sampled_from(paths), label="path")
        parent, key = _at(body, path[:-1]), path[-1]
        if isinstance(parent, dict) and draw(st.booleans(), label="leave out"):
            del parent[key]
            if within(optional, path):
                continue
        elif form:
            parent[key] = draw(FORM_JUNK.get(str(key), st.text(max_size=30) | LONG), label="value")
        else:
            parent[key] = draw(retyped(parent[key]), label="value")
        intact = intact and not needs(needed, path)
    return body, intact


# What a broken form puts in a field (any text, but none that would be right there: another
# person's id, another URL or trigger, which no listener could tell from Slack's own).
FORM_JUNK = {
    "user_id": (st.text(max_size=30) | LONG).filter(lambda v: not USER_ID.fullmatch(v)),
    "response_url": (st.text(max_size=30) | LONG).filter(lambda v: "://" not in v),
    "trigger_id": st.just(""),
}

PADDING = weighted(
    (14, st.just(0)),
    (5, st.integers(1, 20_000)),
    (1, st.integers(SLACK_BODY_LIMIT - 600, SLACK_BODY_LIMIT + 64)),  # around the limit
)


def _pad(body: dict[str, Any], size: int) -> dict[str, Any]:
    return {**body, "x_padding": "x" * size} if size else body


# --- the Events API ---------------------------------------------------------------------------


def served_reaction() -> st.SearchStrategy[dict[str, Any]]:
    """A department's member marks a message in its service channel resolved: a poll."""
    return st.sampled_from(sorted(SERVICE_CHANNELS)).flatmap(
        lambda channel: st.fixed_dictionaries(
            {
                "type": st.just("reaction_added"),
                "user": st.sampled_from(SERVICE_CHANNELS[channel]),
                "reaction": st.sampled_from(["white_check_mark", "white_check_mark::skin-tone-3"]),
                "item": st.fixed_dictionaries(
                    {"type": st.just("message"), "channel": st.just(channel), "ts": TS}
                ),
                "item_user": USER_IDS,
                "event_ts": TS,
            }
        )
    )


def any_reaction() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "type": st.just("reaction_added"),
            "user": USER_IDS,
            "reaction": st.sampled_from(["white_check_mark", "eyes"]) | ANY_TEXT,
            "item": st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["message", "message", "file", "file_comment"]),
                    "channel": st.sampled_from(CHANNELS) | ANY_TEXT,
                    "ts": TS | ANY_TEXT,
                }
            ),
            "item_user": USER_IDS,
            "event_ts": TS,
        }
    )


def app_home_opened() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "type": st.just("app_home_opened"),
            "user": USER_IDS,
            "channel": st.just("D0DM00001"),
            "tab": st.sampled_from(["home", "home", "messages", "about"]) | ANY_TEXT,
            "event_ts": TS,
        },
        optional={
            "view": st.fixed_dictionaries({"id": st.just("V0HOME"), "type": st.just("home")})
        },
    )


def other_event() -> st.SearchStrategy[dict[str, Any]]:
    types = st.sampled_from(["message", "app_mention", "member_joined_channel", "reaction_removed"])
    return st.fixed_dictionaries(
        {
            "type": types | ANY_TEXT,
            "user": USER_IDS,
            "text": TEXT,
            "ts": TS,
            "channel": st.sampled_from(CHANNELS),
        }
    )


EVENT_NEEDS: tuple[Path, ...] = (
    ("type",),
    ("event", "type"),
    ("event", "user"),
    ("event", "reaction"),
    ("event", "item", "type"),
    ("event", "item", "channel"),
    ("event", "item", "ts"),
    ("event", "item_user"),
)


def envelope(event: dict[str, Any], *, event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0QUALITY1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_763_456_400,
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": "U0BOT", "is_bot": True, "is_enterprise_install": False}
        ],
    }


def event(event: dict[str, Any]) -> SlackBody:
    """`event`, delivered as Slack does."""
    body = json.dumps(envelope(event, event_id="Ev" + FRESH))
    return SlackBody("event", f"event:{event['type']}", body, JSON, may_store=True, expect_ok=True)


@st.composite
def events(draw: st.DrawFn) -> SlackBody:
    kind, event = draw(
        weighted(
            (2, st.tuples(st.just("reaction_added"), served_reaction())),
            (2, st.tuples(st.just("reaction_added"), any_reaction())),
            (2, st.tuples(st.just("app_home_opened"), app_home_opened())),
            (1, st.tuples(st.just("other"), other_event())),
        )
    )
    # Now and then a retry of an event already taken: acknowledged, not run again.
    event_id = draw(st.sampled_from(["Ev" + FRESH] * 9 + ["EvRetried0001"]))
    base = envelope(event, event_id=event_id)
    body, intact = draw(broken(base, EVENT_NEEDS))
    padding = draw(PADDING)
    text = json.dumps(_pad(body, padding), ensure_ascii=draw(st.booleans()))
    return SlackBody(
        family="event",
        kind=f"event:{kind}",
        body=text,
        content_type=JSON,
        may_store=intact and kind != "other",
        expect_ok=body == base and kind != "other" and padding < SLACK_BODY_LIMIT // 2,
    )


# --- slash commands ---------------------------------------------------------------------------

COMMAND_NEEDS: tuple[Path, ...] = (("command",), ("user_id",), ("response_url",), ("trigger_id",))


@st.composite
def command_text(draw: st.DrawFn) -> str:
    """Anything; or a subcommand and what it takes (departments, weeks, people), or junk."""
    if draw(now_and_then(5)):
        return str(draw(TEXT))
    words = weighted(
        (1, st.just([])),
        (2, st.lists(st.sampled_from(WORDS) | MENTIONS, max_size=2)),
        (1, st.lists(st.sampled_from(WORDS) | MENTIONS | TEXT, max_size=3)),
    )
    return " ".join([draw(st.sampled_from(SUBCOMMANDS)), *draw(words)])


def command_form(text: str, user_id: str, channel_id: str = "C0GENERAL1") -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "acme",
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": "someone",
        "command": "/quality",
        "text": text,
        "api_app_id": "A0QUALITY1",
        "is_enterprise_install": "false",
        "response_url": RESPONSE_URL,
        "trigger_id": FRESH,
    }


def command(text: str, user_id: str) -> SlackBody:
    """`/quality text` from `user_id`, as Slack sends it."""
    form = urlencode(command_form(text, user_id))
    return SlackBody("command", "command", form, FORM, may_store=True, expect_ok=True)


@st.composite
def commands(draw: st.DrawFn) -> SlackBody:
    base = command_form(draw(command_text()), draw(USER_IDS), draw(st.sampled_from(CHANNELS)))
    body, intact = draw(broken(base, COMMAND_NEEDS, form=True))
    return SlackBody(
        family="command",
        kind="command",
        body=urlencode(body),
        content_type=FORM,
        may_store=intact,
        expect_ok=body == base,
    )


# --- interactivity: block actions, view submissions, shortcuts --------------------------------


@dataclass(frozen=True)
class Payload:
    """An interactive payload as Slack sends it, before it is broken."""

    kind: str
    body: dict[str, Any]
    needed: tuple[Path, ...]
    _: KW_ONLY
    optional: tuple[Path, ...] = ()  # may be left out: see `broken`
    handled: bool = True  # one of the app's listeners takes it
    slack: bool = True  # False: not even Slack sends this (private_metadata we never wrote)


ACTION_NEEDS: tuple[Path, ...] = (
    ("type",),
    ("user", "id"),
    ("actions", 0, "action_id"),
    ("actions", 0, "value"),
)


def click(
    action_id: str, value: str = POLL_ID, user: str = POLL_USER, *, in_home: bool = False
) -> dict[str, Any]:
    """A click on a button of a poll's DM (or of App Home), as Slack posts it."""
    container: dict[str, Any] = {"type": "view", "view_id": "V0HOME"}
    if not in_home:
        container = {
            "type": "message",
            "message_ts": "1763456400.000900",
            "channel_id": "D0DM00001",
            "is_ephemeral": False,
        }
    body: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
        "api_app_id": "A0QUALITY1",
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": FRESH,
        "team": {"id": TEAM_ID, "domain": "acme"},
        "is_enterprise_install": False,
        "actions": [
            {
                "action_id": action_id,
                "block_id": f"poll_scores:{value}",
                "type": "button",
                "value": value,
                "action_ts": "1763456400.001000",
            }
        ],
    }
    if not in_home:
        body["channel"] = {"id": "D0DM00001", "name": "directmessage"}
        body["response_url"] = RESPONSE_URL
    return body


@st.composite
def block_actions(draw: st.DrawFn) -> Payload:
    action_id = draw(st.sampled_from([*ACTION_IDS, *ACTION_IDS, "other"]))
    if action_id == "other":
        action_id = draw(st.text(max_size=20))
    # Mostly the open poll's own button, clicked by the person it asks.
    value, user = draw(
        weighted(
            (3, st.tuples(st.just(POLL_ID), st.just(POLL_USER))),
            (1, st.tuples(st.just(POLL_ID), USER_IDS)),
            (1, st.tuples(st.uuids().map(str) | ANY_TEXT, USER_IDS)),
        )
    )
    body = click(action_id, value, user, in_home=draw(st.booleans()))
    known = action_id in ACTION_IDS
    kind = f"block_actions:{action_id if known else 'other'}"
    return Payload(kind, body, ACTION_NEEDS, handled=known)


def _metadata(poll: str | None) -> st.SearchStrategy[str]:
    """What the app itself puts in a modal's private_metadata (Slack hands it back as is)."""
    if poll is not None:
        return st.just(json.dumps({"poll": poll}))
    origins = st.fixed_dictionaries(
        {"trigger": st.sampled_from(["manual", "shortcut"])}, optional={"summary": TEXT}
    )
    return origins.map(lambda origin: json.dumps({"poll": None, **origin}))


def _selected(values: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return values.map(lambda v: {"text": {"type": "plain_text", "text": v}, "value": v})


def _input(kind: str, key: str, value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({key: value, "type": st.just(kind)})


def modal_values(
    score: str, *, department: str | None = None, comment: str | None = None, consent: bool = False
) -> dict[str, Any]:
    """The rating modal's state.values as Slack submits them."""

    def option(value: str) -> dict[str, Any]:
        return {"text": {"type": "plain_text", "text": value}, "value": value}

    values: dict[str, Any] = {
        "score": {"score": {"type": "radio_buttons", "selected_option": option(score)}},
        "comment": {"comment": {"type": "plain_text_input", "value": comment}},
        "consent": {
            "consent": {
                "type": "checkboxes",
                "selected_options": [option("yes")] if consent else [],
            }
        },
    }
    if department is not None:
        values["department"] = {
            "department": {"type": "static_select", "selected_option": option(department)}
        }
    return values


def metadata(poll: str | None = None, trigger: str = "manual") -> str:
    """The private_metadata the app writes into the rating modal."""
    return json.dumps({"poll": poll} if poll else {"poll": None, "trigger": trigger})


@st.composite
def _state(draw: st.DrawFn, *, complete: bool, department: bool) -> dict[str, Any]:
    """The modal's inputs: `complete`, every required one answered with one of its options."""
    score: st.SearchStrategy[Any] = _selected(st.sampled_from("12345"))
    chosen: st.SearchStrategy[Any] = _selected(st.sampled_from(["it", "finance"]))
    if not complete:
        score = st.none() | _selected(st.sampled_from("12345") | ANY_TEXT)
        chosen = st.none() | _selected(st.sampled_from(["it", "finance", "nope"]) | ANY_TEXT)
    comment = st.none() | TEXT.map(lambda t: t[:MAX_COMMENT])
    consent = st.lists(st.just({"text": {"type": "mrkdwn", "text": "yes"}, "value": "yes"}))
    values: dict[str, Any] = {
        "score": {"score": draw(_input("radio_buttons", "selected_option", score))},
        "comment": {"comment": draw(_input("plain_text_input", "value", comment))},
        "consent": {"consent": draw(_input("checkboxes", "selected_options", consent))},
    }
    if department:
        values["department"] = {
            "department": draw(_input("static_select", "selected_option", chosen))
        }
    return values


VIEW_NEEDS: tuple[Path, ...] = (
    ("type",),
    ("user", "id"),
    ("view", "callback_id"),
    ("view", "private_metadata"),
    *(
        ("view", "state", "values", block, block, *rest)
        for block, rest in [
            ("score", ("selected_option", "value")),
            ("department", ("selected_option", "value")),
            ("comment", ("value",)),
            ("consent", ("selected_options",)),
        ]
    ),
)
# The optional inputs (Slack sends null for an empty one): left out, they hold no comment
# and no consent.
VIEW_OPTIONAL: tuple[Path, ...] = (
    ("view", "state", "values", "comment"),
    ("view", "state", "values", "consent"),
)


def submission(
    values: dict[str, Any], metadata: str, user: str, callback_id: str = RATE_VIEW
) -> dict[str, Any]:
    """The rating modal submitted, as Slack posts it."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
        "api_app_id": "A0QUALITY1",
        "token": "legacy-verification-token",
        "trigger_id": FRESH,
        "view": {
            "id": "V0MODAL01",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "state": {"values": values},
            "hash": "1763456400.abc",
            "root_view_id": "V0MODAL01",
            "app_id": "A0QUALITY1",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }


@st.composite
def view_submissions(draw: st.DrawFn) -> Payload:
    callback_id = draw(st.sampled_from([RATE_VIEW] * 5 + ["other_view"]))
    # The modal of a poll (its comment), or of a rating by hand (a department to choose).
    on_poll = draw(st.booleans())
    user = draw(st.just(POLL_USER) | USER_IDS) if on_poll else draw(USER_IDS)
    poll = draw(st.sampled_from([POLL_ID, POLL_ID, str(uuid.UUID(int=0))])) if on_poll else None
    state = draw(_state(complete=draw(st.booleans()), department=not on_poll))
    body = submission(state, draw(_metadata(poll)), user, callback_id)
    if callback_id != RATE_VIEW:
        return Payload("view_submission:other", body, VIEW_NEEDS, handled=False)
    if draw(now_and_then(6)):
        # Metadata the app never wrote: Slack hands back only what the app put there.
        body["view"]["private_metadata"] = draw(
            ANY_TEXT | json_values(max_leaves=6).map(json.dumps) | st.just('{"poll": "x"}')
        )
        return Payload("view_submission:foreign_metadata", body, VIEW_NEEDS, slack=False)
    kind = f"view_submission:{'poll' if on_poll else 'by_hand'}"
    return Payload(kind, body, VIEW_NEEDS, optional=VIEW_OPTIONAL)


SHORTCUT_NEEDS: tuple[Path, ...] = (
    ("type",),
    ("callback_id",),
    ("trigger_id",),
    ("user", "id"),
    ("channel", "id"),
    ("message", "text"),
)


def shortcut(
    kind: str, user: str, *, channel: str = "C0ITHELP1", text: str = "My VPN drops"
) -> dict[str, Any]:
    """ "Rate this interaction" (`kind`: message_action) or a global shortcut, as Slack
    posts it."""
    body: dict[str, Any] = {
        "type": kind,
        "token": "legacy-verification-token",
        "action_ts": "1763456400.001000",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
        "callback_id": RATE_SHORTCUT_CALLBACK_ID,
        "trigger_id": FRESH,
        "is_enterprise_install": False,
    }
    if kind == "message_action":
        ts = "1763456400.000800"
        body |= {
            "channel": {"id": channel, "name": "it-help"},
            "message": {"type": "message", "user": user, "ts": ts, "text": text},
            "message_ts": ts,
            "response_url": RESPONSE_URL,
        }
    return body


@st.composite
def shortcuts(draw: st.DrawFn) -> Payload:
    kind = draw(st.sampled_from(["message_action", "shortcut"]))
    channel = draw(st.sampled_from(CHANNELS) | ANY_TEXT)
    body = shortcut(kind, draw(USER_IDS), channel=channel, text=draw(TEXT))
    if draw(now_and_then(6)):
        body["callback_id"] = "other_shortcut"
        return Payload(f"{kind}:other", body, SHORTCUT_NEEDS, handled=False)
    return Payload(f"{kind}:{RATE_SHORTCUT_CALLBACK_ID}", body, SHORTCUT_NEEDS)


MALFORMED_PAYLOADS = st.one_of(
    st.sampled_from(
        ["", "{", "{}", "[]", "null", '"text"', "0", "{'a': 1}", '{"type": 1}', "[{}]"]
    ),
    ANY_TEXT,
    json_values(max_leaves=10).map(json.dumps),
)


def interaction(payload: dict[str, Any]) -> SlackBody:
    """An interactive payload as Slack posts it: one form field holding JSON."""
    body = urlencode({"payload": json.dumps(payload)})
    kind = f"{payload['type']}:example"
    return SlackBody("interaction", kind, body, FORM, may_store=True, expect_ok=True)


@st.composite
def interactions(draw: st.DrawFn) -> SlackBody:
    if draw(now_and_then(8)):
        form = urlencode({"payload": draw(MALFORMED_PAYLOADS)})
        return SlackBody("interaction", "payload:malformed", form, FORM, may_store=False)
    drawn = draw(weighted((3, block_actions()), (3, view_submissions()), (2, shortcuts())))
    body, intact = draw(broken(drawn.body, drawn.needed, optional=drawn.optional))
    padding = draw(PADDING)
    return SlackBody(
        family="interaction",
        kind=drawn.kind,
        body=urlencode({"payload": json.dumps(_pad(body, padding))}),
        content_type=FORM,
        may_store=intact and drawn.handled and drawn.slack,
        expect_ok=body == drawn.body and drawn.handled and padding < SLACK_BODY_LIMIT // 2,
    )


# --- not what Slack sends at all ---------------------------------------------------------------

ODD_TYPES = (
    None, "", "text/plain", "application/json; charset=utf-8", "multipart/form-data; boundary=x",
    "application/octet-stream", "application/xml",
    "application/x-www-form-urlencoded; charset=latin-1",
)  # fmt: skip
ODD_BODIES = st.sampled_from(
    [
        "",
        "ssl_check=1&token=legacy-verification-token",
        '{"type": "url_verification", "challenge": "abc", "token": "t"}',
        '{"type": "url_verification"}',
        '{"type": "url_verification", "challenge": {"a": 1}}',
        '{"type": "ssl_check"}',
        '{"type": "event_callback"}',
        '{"type": "event_callback", "event": null}',
        '{"type": "event_callback", "event": "reaction_added"}',
        '{"type": "event_callback", "event": {"type": "reaction_added", "item": "x"}}',
        '{"type": "block_actions", "actions": "x"}',
        '{"type": "block_actions", "actions": []}',
        '{"type": "block_actions", "actions": [1]}',
        '{"type": "block_actions", "actions": [{"action_id": 1}]}',
        '{"type": "interactive_message", "callback_id": 1, "actions": [{}]}',
        '{"type": "view_submission", "view": []}',
        '{"type": "view_submission", "view": {"callback_id": "rate_department"}}',
        '{"type": "workflow_step_edit", "callback_id": "x"}',
        "payload",
        "payload=",
        "payload=%ff%fe",
        "command=/quality",
        "command=/quality&text=optout",
        "command=/quality&text=optout&user_id=",
        "command=%2Fquality&command=%2Fother&text=optout&user_id=U0EMP0001",
        "{" * 5000,
        "[" * 20000 + "]" * 20000,
        '{"a":' * 3000 + "1" + "}" * 3000,
        "\x00\x01\x02",
        "9" * 5000,
        '{"type": "event_callback", "event": {"type": "app_home_opened", "user": "\\ud800"}}',
        "<xml>hello</xml>",
    ]
)


@st.composite
def raw(draw: st.DrawFn) -> SlackBody:
    body = draw(
        st.one_of(
            ODD_BODIES,
            ANY_TEXT,
            json_values(max_leaves=20).map(json.dumps),
            st.binary(max_size=500).map(lambda b: b.decode("utf-8", errors="surrogateescape")),
            st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=5).map(urlencode),
        )
    )
    content_type = draw(st.sampled_from((JSON, FORM, *ODD_TYPES)))
    return SlackBody("raw", "raw", body, content_type, may_store=False)


@st.composite
def under_any_type(
    draw: st.DrawFn, bodies: Callable[[], st.SearchStrategy[SlackBody]]
) -> SlackBody:
    """A body of the family, now and then under another Content-Type than Slack's."""
    body = draw(bodies())
    if draw(now_and_then(8)):
        content_type = draw(st.sampled_from((JSON, FORM, *ODD_TYPES)))
        return SlackBody(
            body.family, body.kind + "+content_type", body.body, content_type, body.may_store
        )
    return body
