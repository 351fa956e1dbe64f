"""The configuration in effect, the same on every instance: quality.yml with its Slack names
resolved, and the departments admins manage in Slack (App Home), which live in the database.

Every instance reads the managed departments every `REFRESH_EVERY` seconds and replaces its
live configuration when they changed; the instance where an admin made the change does so
at once."""

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.config import DepartmentConfig, LiveQuality, QualityConfig
from bot.people.membership import sync_departments
from bot.people.names import resolve_names
from models.department import FROM_SLACK, Department

log = logging.getLogger(__name__)

REFRESH_EVERY = 2.0  # seconds


class UnresolvedNames(Exception):
    """Names of quality.yml that Slack does not know, or that could not be resolved."""

    def __init__(self, unresolved: list[tuple[str, str]]) -> None:
        self.unresolved = unresolved
        super().__init__(unresolved)


class Directory:
    def __init__(
        self,
        *,
        quality_file: QualityConfig,
        live: LiveQuality,
        client: AsyncWebClient | None,
        clock: Clock,
    ) -> None:
        self._written = quality_file  # as the file says it, names and all
        self._file = quality_file  # the same with every name resolved, once start() ran
        self._live = live
        self._client = client
        self._clock = clock
        self._managed: list[tuple[str, dict[str, Any] | None]] | None = None  # as last read

    async def start(self) -> QualityConfig:
        """Resolve the file's names (UnresolvedNames when one cannot be), make the department
        table match the file, and read the managed departments: the configuration in effect."""
        resolution = await resolve_names(self._written, self._client, now=self._clock())
        if resolution.quality is None:
            raise UnresolvedNames(resolution.unresolved)
        self._file = resolution.quality
        await sync_departments(self._file)
        await self.refresh(force=True)
        return self._live.current

    async def refresh(self, *, force: bool = False) -> None:
        """Read the managed departments, and put them in effect when they changed."""
        rows = await Department.filter(origin=FROM_SLACK, active=True).order_by("slug")
        managed = [(row.slug, row.settings) for row in rows]
        if managed == self._managed and not force:
            return
        self._managed = managed
        departments = []
        for slug, settings in managed:
            try:
                departments.append(DepartmentConfig.model_validate(settings))
            except ValueError as exc:
                log.error("department %s as stored is not valid, left out: %s", slug, exc)
        self._live.replace(merged(self._file, departments))

    async def refresh_names(self) -> None:
        """Resolve the file's names through Slack again (a renamed channel, a new email): run
        with the user-group sync. A name that no longer resolves keeps its last id."""
        resolution = await resolve_names(self._written, self._client, now=self._clock())
        if resolution.quality is None:
            for key, _ in resolution.unresolved:  # the reason may hold an email: not logged
                log.warning("quality.yml: %s no longer resolves; its last known id is kept", key)
            return
        if resolution.quality != self._file:
            self._file = resolution.quality
            await sync_departments(self._file)
            await self.refresh(force=True)


def merged(file: QualityConfig, managed: list[DepartmentConfig]) -> QualityConfig:
    """The file's departments, then those managed in Slack. The file wins a conflict: a slug
    it names is its own, and a service channel it gives a department is that department's."""
    slugs = {d.slug for d in file.departments}
    channels = {c for d in file.departments for c in d.channels}
    added = []
    for dept in managed:
        if dept.slug in slugs:
            log.warning("department %s is in quality.yml now: the file's settings apply", dept.slug)
            continue
        clash = [c for c in dept.channels if c in channels]
        if clash:
            log.warning("department %s: channels %s belong to another department", dept.slug, clash)
            dept = dept.model_copy(
                update={"channels": tuple(c for c in dept.channels if c not in clash)}
            )
        channels.update(dept.channels)
        slugs.add(dept.slug)
        added.append(dept)
    return file.model_copy(update={"departments": (*file.departments, *added)})
