"""auth.test, users.* and usergroups.*: who the bot is and who is in the workspace."""

from bot.slack_standin.errors import SlackError
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
    user = ws.users.get(str(params.get("user") or ""))
    if user is None:
        raise SlackError("user_not_found")
    return {"ok": True, "user": user}


def users_lookup_by_email(ws: Workspace, params: JSON) -> JSON:
    user = ws.user_by_email(str(params.get("email") or ""))
    if user is None:
        raise SlackError("users_not_found")
    return {"ok": True, "user": user}


def usergroups_users_list(ws: Workspace, params: JSON) -> JSON:
    members = ws.usergroups.get(str(params.get("usergroup") or ""))
    if members is None:
        raise SlackError("no_such_subteam")
    return {"ok": True, "users": list(members)}
