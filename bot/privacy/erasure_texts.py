"""An erased person's traces inside texts others wrote: their mention, e-mail address and phone
number, replaced by the placeholders the digest's scrubber writes (bot/privacy/scrub.py)."""

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from tortoise.expressions import Q

from models.action import Action
from models.review import Review
from models.survey import FollowUp, HeldAnswer, Poll, Rating, Thanks

log = logging.getLogger(__name__)

MIN_PHONE_DIGITS = 7  # fewer would match any number in a text
# Every stored text that others wrote and that may name the person.
TEXTS: tuple[tuple[Any, str], ...] = (
    (Poll, "summary"),
    (HeldAnswer, "comment"),
    (Rating, "comment"),
    (FollowUp, "comment"),
    (Thanks, "comment"),
    (Action, "what"),
    (Action, "addresses"),
    (Action, "note"),
    (Review, "title"),
    (Review, "text"),
)


@dataclass(frozen=True)
class Contact:
    """What may identify the person inside other texts, besides their user id."""

    email: str | None = None
    phone: str | None = None


async def contact_of(client: AsyncWebClient, user_id: str) -> Contact | None:
    """Their e-mail and phone as Slack's profile has them; None when Slack cannot say now."""
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as exc:
        if exc.response.get("error") == "user_not_found":
            return Contact()
        log.warning("profile not read for an erasure (%s)", exc.response.get("error"))
        return None
    except Exception as exc:  # Slack unreachable: erase what is known anyway
        log.warning("profile not read for an erasure (%s)", type(exc).__name__)
        return None
    profile = (response.get("user") or {}).get("profile") or {}
    return Contact(email=profile.get("email") or None, phone=profile.get("phone") or None)


@dataclass(frozen=True)
class Remover:
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    needles: tuple[str, ...]  # what a text must contain to be worth reading (SQL prefilter)

    def __call__(self, text: str) -> str:
        for pattern, placeholder in self.patterns:
            text = pattern.sub(placeholder, text)
        return text


def remover(user_id: str, contact: Contact) -> Remover:
    # Placeholders as the digest's scrubber writes them (bot/privacy/scrub.py).
    patterns = [
        (re.compile(rf"<@{user_id}(?:\|[^<>]*)?>"), "[someone]"),
        (re.compile(rf"\b{user_id}\b"), "[someone]"),
    ]
    needles = [user_id]
    if contact.email:
        patterns.append((re.compile(re.escape(contact.email), re.IGNORECASE), "[email]"))
        needles.append(contact.email)
    digits = re.sub(r"\D", "", contact.phone or "")
    if len(digits) >= MIN_PHONE_DIGITS:
        # The national part (the last ten digits at most) with any separators between: the
        # same number written "+49 171 2345678", "0171/2345678" or "171-234 5678".
        national = digits[-10:]
        spaced = r"[\s./()-]*".join(national)
        patterns.append((re.compile(rf"(?:\+\d{{1,3}}[\s./()-]*)?0?[\s./()-]*{spaced}"), "[phone]"))
        needles.append(national[-4:])
    return Remover(tuple(patterns), tuple(needles))


async def scrub_texts(remove: Remover) -> int:
    changed = 0
    for model, column in TEXTS:
        maybe = Q(
            *(Q(**{f"{column}__icontains": needle}) for needle in remove.needles), join_type="OR"
        )
        for id_, text in await model.filter(maybe).values_list("id", column):
            cleaned = remove(str(text))
            if cleaned != text:
                await model.filter(id=id_).update(**{column: cleaned})
                changed += 1
    return changed
