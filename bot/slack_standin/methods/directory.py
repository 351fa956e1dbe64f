"""auth.test, users.* and usergroups.*: who the bot is and who is in the workspace.

Each needs its scope, refused with `missing_scope` as Slack does: users:read (users.info,
users.list), users:read.email (users.lookupByEmail; without it a user's profile has no email),
usergroups:read (usergroups.list, usergroups.users.list).
"""

import time

from bot.slack_standin.errors import SlackError
from bot.slack_standin.pagination import page_of
from bot.slack_standin.params import flag, integer
from bot.slack_standin.workspace import JSON, Workspace


def auth_test(ws: Workspace, params: JSON) -> JSON:
    return {
        "ok": True,
        "url": "https://standin.slack.com/",
        "team": "Stand-in Workspace",
        "user": ws.bot_name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def users_info(ws: Workspace, params: JSON) -> JSON:
    ws.need_scope("users:read")
    user = ws.users.get(str(params.get("user") or ""))
    if user is None:
        raise SlackError("user_not_found")
    return {"ok": True, "user": ws.user_as_seen(user)}


def users_lookup_by_email(ws: Workspace, params: JSON) -> JSON:
    ws.need_scope("users:read.email")
    user = ws.user_by_email(str(params.get("email") or ""))
    if user is None:
        raise SlackError("users_not_found")
    return {"ok": True, "user": ws.user_as_seen(user)}


def users_list(ws: Workspace, params: JSON) -> JSON:
    """Every user object the workspace holds: the bot user, Slackbot (is_bot false) and deleted
    users (deleted true) included. No `limit` (or 0) is Slack's "everything at once"."""
    ws.need_scope("users:read")
    members = [ws.user_as_seen(user) for user in ws.users.values()]
    limit = max(0, integer(params, "limit", 0)) or len(members) or 1
    page, next_cursor = page_of(members, params.get("cursor"), limit)
    return {
        "ok": True,
        "members": page,
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": next_cursor},
    }


def usergroups_list(ws: Workspace, params: JSON) -> JSON:
    """All the workspace's user groups at once: Slack does not paginate this method. `users`
    only with include_users, `user_count` only with include_count. The stand-in has no disabled
    groups, so include_disabled changes nothing."""
    ws.need_scope("usergroups:read")
    include_users, include_count = flag(params, "include_users"), flag(params, "include_count")
    return {
        "ok": True,
        "usergroups": [
            group.as_listed(ws.team_id, include_users=include_users, include_count=include_count)
            for group in ws.usergroups.values()
        ],
    }


def usergroups_users_list(ws: Workspace, params: JSON) -> JSON:
    ws.need_scope("usergroups:read")
    group = ws.usergroups.get(str(params.get("usergroup") or ""))
    if group is None:
        raise SlackError("no_such_subteam")
    return {"ok": True, "users": list(group.users)}
