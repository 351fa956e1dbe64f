"""Thanks to a department, from someone who rated it 4 or 5, posted to its team channel (its
alert channel when it names none).

- **Once per answer.** The thank-you offered a one-time token with the score
  (bot/surveys/reasons.py); a thanks spends it, and a second is refused. A person rates a
  department once a week, so they thank it at most once a week too. Nothing records that a
  person *could* thank: the token is stored only when used.
- **Unsigned thanks do not point at their giver.** Posted the moment it is given, a thanks
  would say who was just served. So an unsigned thanks waits for the day's batch, at
  BATCH_TIME in the company's time zone (the next one at least BATCH_GAP away), shared by all
  that day's; when the batch is due, its rows are written again in shuffled order under new
  ids (nothing in the table keeps the order they were given in) and posted in that order. A
  signed thanks names its giver by their choice and is posted at once.
- **Posted once.** A thanks is claimed (queued → sending) before it is posted with metadata
  naming it; a claim left by a crash is looked for in the channel before posting again.
"""

import logging
import secrets
import uuid
from datetime import datetime, time, timedelta
from enum import Enum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.blocks.offer import thanks_post
from bot.slack.outbox import Mark, Outbox, describe, post_marked, refused
from models.department import Department
from models.survey import QUEUED, SENDING, SENT, Thanks

log = logging.getLogger(__name__)

BATCH_TIME = time(16, 0)
BATCH_GAP = timedelta(hours=2)
STALE_CLAIM = timedelta(minutes=5)
EVENT_TYPE = "quality_thanks"
_SHUFFLE = secrets.SystemRandom()


class ThanksGiven(Enum):
    GIVEN = "given"
    ALREADY = "already"  # this answer's thanks was given
    UNKNOWN = "unknown"  # no such department (any more), or not a token the app wrote
    NOWHERE = "nowhere"  # the department has no channel to post it in


class ThanksDelivery(Outbox):
    async def give(
        self, token: str, slug: str, week: str, *, comment: str | None, signed_by: str | None
    ) -> ThanksGiven:
        """Store a thanks to be posted; the token is spent whether or not it is signed."""
        dept = self._quality.department(slug)
        department = await Department.get_or_none(slug=slug, active=True)
        if dept is None or department is None or len(token) != 32:
            return ThanksGiven.UNKNOWN
        if dept.thanks_channel is None:
            return ThanksGiven.NOWHERE
        now = self._clock()
        try:
            await Thanks.create(
                token=token,
                department=department,
                week=week,
                comment=comment,
                signed_by=signed_by,
                post_after=now if signed_by else self.next_batch(now),
            )
        except IntegrityError:
            return ThanksGiven.ALREADY
        if signed_by:
            self.wake()
        return ThanksGiven.GIVEN

    def next_batch(self, now: datetime) -> datetime:
        """The first BATCH_TIME, in the company's time zone, at least BATCH_GAP after now."""
        local = (now + BATCH_GAP).astimezone(self._quality.tz)
        batch = datetime.combine(local.date(), BATCH_TIME, tzinfo=self._quality.tz)
        return batch if batch >= local else batch + timedelta(days=1)

    async def step(self) -> int:
        now = self._clock()
        await self._shuffle_due(now)
        # A claim its sender left by dying: the thanks may be out; looked for before posting.
        stale = await Thanks.filter(status=SENDING, claimed_at__lt=now - STALE_CLAIM)
        posted = 0
        for thanks in stale:
            posted += await self._post(thanks, look_first=True)
        due = await Thanks.filter(status=QUEUED, post_after__lte=now).order_by("id")
        for thanks in due:
            posted += await self._post(thanks, look_first=False)
        return posted

    async def _shuffle_due(self, now: datetime) -> None:
        """Write the due unsigned thanks again, in shuffled order under new ids."""
        due = Thanks.filter(status=QUEUED, signed_by__isnull=True, post_after__lte=now)
        if await due.count() < 2:
            return  # most ticks: no transaction, no wait for SQLite's connection
        async with in_transaction():
            rows = await due.select_for_update()
            if len(rows) < 2:
                return
            await Thanks.filter(id__in=[row.id for row in rows]).delete()
            _SHUFFLE.shuffle(rows)
            await Thanks.bulk_create(
                [
                    Thanks(
                        id=uuid.uuid4(),
                        token=row.token,
                        department_id=row.department_id,  # type: ignore[attr-defined]
                        week=row.week,
                        comment=row.comment,
                        post_after=row.post_after,
                    )
                    for row in rows
                ]
            )

    async def _post(self, thanks: Thanks, *, look_first: bool) -> int:
        now = self._clock()
        status = SENDING if look_first else QUEUED
        if not await Thanks.filter(id=thanks.id, status=status).update(
            status=SENDING, claimed_at=now
        ):
            return 0  # another instance has it
        await thanks.fetch_related("department")
        dept = self._quality.department(thanks.department.slug)
        channel = dept.thanks_channel if dept else None
        if dept is None or channel is None:
            await Thanks.filter(id=thanks.id).update(status=SENT)  # nowhere to post it now
            return 0
        mark = Mark(EVENT_TYPE, {"thanks": str(thanks.id)})
        await self._gate.wait()
        text = thanks_post(dept.name, thanks.comment, thanks.signed_by)
        try:
            found = await post_marked(self._client, channel, mark, look_first=look_first, text=text)
        except Exception as exc:  # unless refused, perhaps posted: the stale claim is looked for
            if refused(exc):
                await Thanks.filter(id=thanks.id).update(status=QUEUED, claimed_at=None)
            log.warning("thanks not posted (%s)", describe(exc))
            return 0
        await Thanks.filter(id=thanks.id).update(status=SENT, channel=found[0], ts=found[1])
        return 1
