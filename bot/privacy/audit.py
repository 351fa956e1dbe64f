"""Writing and reading the audit log."""

from collections.abc import Sequence
from datetime import datetime

from models.audit import AuditEntry


async def record(at: datetime, actor: str, action: str, subject: str, detail: str = "") -> None:
    await AuditEntry.create(at=at, actor=actor, action=action, subject=subject, detail=detail)


async def entries(since: datetime | None = None, limit: int | None = None) -> Sequence[AuditEntry]:
    """Newest first."""
    query = AuditEntry.all().order_by("-at", "-id")
    if since is not None:
        query = query.filter(at__gte=since)
    if limit is not None:
        query = query.limit(limit)
    return await query
