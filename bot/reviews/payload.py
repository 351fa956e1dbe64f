"""The shape of a review on the wire, shared by the webhook and the importer."""

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.config import describe_errors
from bot.reviews.store import ReviewIn

MAX_BATCH = 500
MAX_URL = 2000  # models.review.Review.url


def _matching(pattern: str, message: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError("pattern_mismatch", message)
        return value

    return AfterValidator(check)


def _no_nul(value: str) -> str:
    # JSON and CSV can carry it; PostgreSQL cannot store it in text.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain the NUL character (\\u0000)")
    return value


Stored = AfterValidator(_no_nul)


def _aware(value: datetime) -> datetime:
    # A time without an offset is taken as UTC, as most review platforms mean it. Years are
    # bounded: converting a time at the edge of datetime's range to another zone overflows,
    # and no review was written before 1970 or after 2200.
    if not 1970 <= value.year <= 2200:
        raise PydanticCustomError("date_range", "must be between 1970 and 2200")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A moment as the webhooks take it: ISO 8601, UTC when it names no offset, 1970 to 2200.
Moment = Annotated[datetime, AfterValidator(_aware)]


def _storable_url(value: HttpUrl) -> HttpUrl:
    # Checked after normalising: "é" is stored percent-encoded, three times as long.
    if len(str(value)) > MAX_URL:
        raise PydanticCustomError("url_too_long", f"must be at most {MAX_URL} characters")
    return value


class ReviewPayload(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: Annotated[str, Field(min_length=1, max_length=255), Stored]
    source: Annotated[
        str, Field(max_length=64), _matching(r"[a-z0-9_-]+", "must match [a-z0-9_-]+")
    ]
    rating: Annotated[float, Field(ge=1, le=5, allow_inf_nan=False)] | None = None
    title: Annotated[str, Field(max_length=500), Stored] | None = None
    text: Annotated[str, Field(max_length=100_000), Stored] | None = None
    author: Annotated[str, Field(max_length=200), Stored] | None = None
    department: (
        Annotated[str, _matching(r"[a-z0-9-]{1,64}", "must be a department slug")] | None
    ) = None
    language: (
        Annotated[str, _matching(r"[a-z]{2}", "must be an ISO 639-1 code such as en")] | None
    ) = None
    created_at: Moment | None = None
    url: Annotated[HttpUrl, AfterValidator(_storable_url)] | None = None

    @model_validator(mode="after")
    def something_to_read(self) -> "ReviewPayload":
        if not self.text and not self.title:
            raise PydanticCustomError("missing_text", "text or title is required")
        return self

    def to_review(self) -> ReviewIn:
        return ReviewIn(
            id=self.id,
            source=self.source,
            text=self.text or None,
            title=self.title or None,
            rating=self.rating,
            author=self.author,
            department=self.department,
            language=self.language,
            created_at=self.created_at,
            url=str(self.url) if self.url else None,
        )


class SourceReviewPayload(ReviewPayload):
    """A review read from a platform's own body (bot/reviews/sources): a rating alone is a
    review there (a satisfaction survey answered without a comment), and the rating as the
    platform gave it is kept beside its 1 to 5."""

    rating_original: Annotated[str, Field(max_length=32), Stored] | None = None

    @model_validator(mode="after")
    def something_to_read(self) -> "SourceReviewPayload":
        if not self.text and not self.title and self.rating is None:
            raise PydanticCustomError("missing_text", "a rating, a text or a title is required")
        return self

    def to_review(self) -> ReviewIn:
        return replace(super().to_review(), rating_original=self.rating_original)


def validate_review(
    data: Any,
    *,
    known_departments: set[str] | None,
    prefix: str = "",
    model: type[ReviewPayload] = ReviewPayload,
) -> ReviewIn:
    """One review, or ValueError naming each bad field (prefixed, e.g. `reviews[3].rating`).
    With `known_departments=None` a named department is not checked here: the caller checks
    it where it stores the review (see `unknown_department`)."""
    try:
        payload = model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for error in errors:
            error["loc"] = (prefix, *error["loc"]) if prefix else error["loc"]
        raise ValueError(describe_errors(errors)) from None
    named = payload.department
    if known_departments is not None and named is not None and named not in known_departments:
        raise ValueError(unknown_department(named, prefix=prefix))
    return payload.to_review()


def unknown_department(slug: str, *, prefix: str = "") -> str:
    """What is wrong with a review naming a department that is not active."""
    where = f"{prefix}.department" if prefix else "department"
    return f"{where}: unknown department '{slug}'"
