"""User groups (@it-team): an id (S…), a handle people mention, a name, and their members."""

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Usergroup:
    id: str
    handle: str  # what people type after "@", unique in the workspace
    name: str
    users: list[str]
    description: str = ""
    created_by: str = "USLACKBOT"  # the stand-in has no admin to have made it
    date_create: int = field(default_factory=lambda: int(time.time()))
    date_update: int = 0  # 0: as created

    def as_listed(
        self, team_id: str, *, include_users: bool, include_count: bool
    ) -> dict[str, Any]:
        """The group as usergroups.list shows it (Slack's shape; the stand-in has no disabled
        groups, so date_delete is 0 and deleted_by null)."""
        listed: dict[str, Any] = {
            "id": self.id,
            "team_id": team_id,
            "is_usergroup": True,
            "name": self.name,
            "description": self.description,
            "handle": self.handle,
            "is_external": False,
            "date_create": self.date_create,
            "date_update": self.date_update or self.date_create,
            "date_delete": 0,
            "auto_type": None,
            "created_by": self.created_by,
            "updated_by": self.created_by,
            "deleted_by": None,
            "prefs": {"channels": [], "groups": []},
        }
        if include_users:
            listed["users"] = list(self.users)
        if include_count:
            listed["user_count"] = len(self.users)
        return listed
