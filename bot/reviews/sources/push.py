"""The platforms that push: each as its documentation says it sends (docs/webhooks.md has the
set-up steps in each platform's own UI)."""

from collections.abc import Mapping
from typing import Any

from bot.reviews.sources.preset import DELETE, IGNORE, UPSERT, Event, Preset
from bot.reviews.sources.signatures import HmacHeader, SecretPath


def _name(value: Any) -> str:
    """An event's name as a reason quotes it: a string, cut short; anything else, by type."""
    return repr(value[:100]) if isinstance(value, str) else f"of type {type(value).__name__}"


# --- Zendesk: CSAT sent by a trigger's webhook, whose JSON body the admin writes from
# placeholders (docs/webhooks.md gives it). Zendesk signs the timestamp and the body.

ZENDESK_BODY = {
    "ticket_id": "{{ticket.id}}",
    "rating": "{{satisfaction.current_rating}}",
    "comment": "{{satisfaction.current_comment}}",
    "requester": "{{ticket.requester.name}}",
    "rated_at": "{{ticket.updated_at_with_timestamp}}",
    "url": "{{ticket.link}}",
}

# Zendesk's binary CSAT, and the states of a survey that holds no rating yet.
_ZENDESK_WORDS = {"good": 5.0, "bad": 1.0}
_ZENDESK_UNRATED = {"offered", "unoffered", ""}


def _zendesk_events(body: Any, headers: Mapping[str, str]) -> list[Event]:
    if not isinstance(body, dict):
        return [Event(IGNORE, reason="not a JSON object")]
    if isinstance(body.get("type"), str):  # Zendesk's own event webhooks: not a trigger's
        return [Event(IGNORE, reason=f"event {_name(body['type'])} is not a satisfaction rating")]
    rating = body.get("rating")
    if isinstance(rating, str) and rating.strip().lower() in _ZENDESK_UNRATED:
        return [Event(IGNORE, reason=f"the survey is {rating.strip().lower() or 'unrated'}")]
    return [Event(UPSERT, body)]


ZENDESK = Preset(
    name="zendesk",
    scheme=HmacHeader(
        "X-Zendesk-Webhook-Signature",
        "sha256",
        "base64",
        timestamp_header="X-Zendesk-Webhook-Signature-Timestamp",
        either_order=True,
    ),
    events=_zendesk_events,
    paths={
        "id": "ticket_id",
        "rating": "rating",
        "text": "comment",
        "author": "requester",
        "created_at": "rated_at",
        "url": "url",
    },
    words=_ZENDESK_WORDS,
)


# --- Typeform: a `form_response` per submission; answers are found by the type of their
# question, or by a question's ref given in `fields` (`fields: {rating: satisfaction}`).


def _typeform_events(body: Any, headers: Mapping[str, str]) -> list[Event]:
    kind = body.get("event_type") if isinstance(body, dict) else None
    if kind != "form_response":
        return [Event(IGNORE, reason=f"event {_name(kind)} is not a form response")]
    return [Event(UPSERT, _with_refs(body))]


def _with_refs(body: dict[str, Any]) -> dict[str, Any]:
    """The body with each answer's question ref filled in: answers name their question by id,
    and only the form's definition says which ref that id has."""
    response = body.get("form_response")
    if not isinstance(response, dict) or not isinstance(response.get("answers"), list):
        return body
    definition = response.get("definition")
    questions = definition.get("fields") if isinstance(definition, dict) else None
    refs = {
        q["id"]: q["ref"]
        for q in (questions if isinstance(questions, list) else [])
        if isinstance(q, dict) and isinstance(q.get("id"), str) and isinstance(q.get("ref"), str)
    }
    answers = []
    for answer in response["answers"]:
        asked = answer.get("field") if isinstance(answer, dict) else None
        question = asked.get("id") if isinstance(asked, dict) else None
        ref = refs.get(question) if isinstance(question, str) else None
        if isinstance(asked, dict) and "ref" not in asked and ref is not None:
            answer = {**answer, "field": {**asked, "ref": ref}}
        answers.append(answer)
    return {**body, "form_response": {**response, "answers": answers}}


def _typeform_answer(name: str, ref: str) -> str:
    quoted = ref.replace("\\", "\\\\").replace("'", "\\'")
    answer = f"form_response.answers[?field.ref=='{quoted}'] | [0]"
    return answer if name == "rating" else f"{answer}.[text, email, number][?@ != null] | [0]"


def _typeform_number(answer: Any) -> Any:
    return answer.get("number") if isinstance(answer, dict) else answer


TYPEFORM = Preset(
    name="typeform",
    scheme=HmacHeader("Typeform-Signature", "sha256", "base64", prefix="sha256="),
    events=_typeform_events,
    paths={
        "id": "form_response.token",
        "rating": (
            "form_response.answers[?field.type=='rating' || field.type=='opinion_scale'] | [0]"
        ),
        "text": "form_response.answers[?field.type=='long_text'] | [0].text",
        "author": "form_response.hidden.name",
        "created_at": "form_response.submitted_at",
        "language": "form_response.hidden.language",
    },
    rating_value=_typeform_number,
    locate=_typeform_answer,
)


# --- Help Scout: `satisfaction.ratings`, named in the X-HelpScout-Event header.

# The webhook's documented Great, Okay and Bad; the API's great, okay and not_good.
_HELPSCOUT_WORDS = {
    "great": 5.0,
    "okay": 3.0,
    "ok": 3.0,
    "not good": 1.0,
    "not_good": 1.0,
    "bad": 1.0,
}


def _helpscout_events(body: Any, headers: Mapping[str, str]) -> list[Event]:
    event = headers.get("X-HelpScout-Event", "")
    if event != "satisfaction.ratings":
        return [Event(IGNORE, reason=f"event {_name(event)} is not a satisfaction rating")]
    return [Event(UPSERT, body)]


HELPSCOUT = Preset(
    name="helpscout",
    scheme=HmacHeader("X-HelpScout-Signature", "sha1", "base64"),
    events=_helpscout_events,
    paths={
        "id": "id",
        "rating": "rating",
        "text": "comments",
        "author": "join(' ', [customer.firstName, customer.lastName][?@ != null])",
        "created_at": "createdAt",
    },
    words=_HELPSCOUT_WORDS,
)


# --- Intercom: `conversation.rating.added`, signed with the app's client secret.


def _intercom_events(body: Any, headers: Mapping[str, str]) -> list[Event]:
    topic = body.get("topic") if isinstance(body, dict) else None
    if topic != "conversation.rating.added":
        return [Event(IGNORE, reason=f"topic {_name(topic)} is not a conversation rating")]
    return [Event(UPSERT, body)]


INTERCOM = Preset(
    name="intercom",
    scheme=HmacHeader("X-Hub-Signature", "sha1", "hex", prefix="sha1="),
    events=_intercom_events,
    paths={
        "id": "data.item.id",
        "rating": "data.item.conversation_rating.rating",
        "text": "data.item.conversation_rating.remark",
        "author": "data.item.conversation_rating.contact.name || data.item.source.author.name",
        "created_at": "data.item.conversation_rating.created_at",
    },
)


# --- Trustpilot: `{"events": [...]}`, each created, updated or deleted.

_TRUSTPILOT_UPSERT = {"service-review-created", "service-review-updated"}


def _trustpilot_events(body: Any, headers: Mapping[str, str]) -> list[Event]:
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not events:
        return [Event(IGNORE, reason="no events")]
    found: list[Event] = []
    for event in events:
        name = event.get("eventName") if isinstance(event, dict) else None
        data = event.get("eventData") if isinstance(event, dict) else None
        if not isinstance(name, str):
            found.append(Event(IGNORE, reason=f"event {_name(name)} is not about a service review"))
        elif name in _TRUSTPILOT_UPSERT:
            found.append(Event(UPSERT, data))
        elif name == "service-review-deleted":
            found.append(Event(DELETE, data))
        else:
            found.append(Event(IGNORE, reason=f"event {_name(name)} is not about a service review"))
    return found


TRUSTPILOT_PATHS = {
    "id": "id",
    "rating": "stars",
    "title": "title",
    "text": "text",
    "author": "consumer.name || consumer.displayName",
    "created_at": "createdAt",
    "language": "language",
    "url": "link",
}


def trustpilot(signature: str | None) -> Preset:
    """Trustpilot documents no signature: by default the secret is the URL's last segment.
    A delivery signed on its way (by a relay, or an account that signs) carries an HMAC-SHA256
    of the body in X-Trustpilot-Signature, hex or base64 as `signature` says."""
    scheme: HmacHeader | SecretPath = SecretPath()
    if signature == "hex":
        scheme = HmacHeader("X-Trustpilot-Signature", "sha256", "hex")
    elif signature == "base64":
        scheme = HmacHeader("X-Trustpilot-Signature", "sha256", "base64")
    return Preset(
        name="trustpilot",
        scheme=scheme,
        events=_trustpilot_events,
        paths=TRUSTPILOT_PATHS,
        many=True,
    )


PUSH = {p.name: p for p in (ZENDESK, TYPEFORM, HELPSCOUT, INTERCOM)}
