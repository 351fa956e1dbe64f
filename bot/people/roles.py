"""Who may see and do what: the one place every surface asks.

Admins are listed in `admins`; a department's managers in its `managers`; everyone else is an
employee. Figures are for everyone (always under the privacy threshold); comments and exports
of a department are for its managers and for admins.
"""

from dataclasses import dataclass
from enum import StrEnum

from bot.config import QualityConfig


class Role(StrEnum):
    EMPLOYEE = "employee"
    MANAGER = "manager"
    ADMIN = "admin"


@dataclass(frozen=True)
class Person:
    user_id: str
    admin: bool
    manages: frozenset[str]  # department slugs

    @property
    def role(self) -> Role:
        if self.admin:
            return Role.ADMIN
        return Role.MANAGER if self.manages else Role.EMPLOYEE

    def sees_comments_of(self, slug: str) -> bool:
        return self.admin or slug in self.manages

    def may_export(self, slug: str) -> bool:
        return self.admin or slug in self.manages

    @property
    def may_post_digest(self) -> bool:
        return self.admin

    @property
    def may_erase(self) -> bool:
        return self.admin

    @property
    def may_read_audit(self) -> bool:
        return self.admin

    def overseen(self, quality: QualityConfig) -> list[str]:
        """The departments whose detail this person follows: every one for an admin."""
        if self.admin:
            return [d.slug for d in quality.departments]
        return [d.slug for d in quality.departments if d.slug in self.manages]


def person(quality: QualityConfig, user_id: str) -> Person:
    return Person(
        user_id=user_id,
        admin=user_id in quality.admins,
        manages=frozenset(d.slug for d in quality.departments if user_id in d.managers),
    )
