"""Writing and reading the audit log."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from tortoise.transactions import in_transaction

from models.audit import VIEW_COMMENTS, AuditEntry


async def record(at: datetime, actor: str, action: str, subject: str, detail: str = "") -> None:
    await AuditEntry.create(at=at, actor=actor, action=action, subject=subject, detail=detail)


async def comments_viewed(
    at: datetime, actor: str, departments: Iterable[str], *, detail: str
) -> None:
    """One entry per department whose colleagues' comments `actor` is about to see; all of
    them or none. Written before the comments are shown: no view of them escapes the log, and
    when the log cannot be written, the caller shows figures only."""
    async with in_transaction():
        for slug in departments:
            await record(at, actor, VIEW_COMMENTS, slug, detail)


async def entries(since: datetime | None = None, limit: int | None = None) -> Sequence[AuditEntry]:
    """Newest first."""
    query = AuditEntry.all().order_by("-at", "-id")
    if since is not None:
        query = query.filter(at__gte=since)
    if limit is not None:
        query = query.limit(limit)
    return await query
