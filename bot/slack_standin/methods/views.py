"""views.*: modals opened from a trigger, and the App Home each user sees."""

import time

from bot.slack_standin.blocks import check_view
from bot.slack_standin.errors import SlackError
from bot.slack_standin.workspace import JSON, Workspace

TRIGGER_LIFETIME = 3.0  # seconds Slack honours a trigger_id for


def open_view(ws: Workspace, params: JSON) -> JSON:
    _spend_trigger(ws, params)
    return {"ok": True, "view": _new_view(ws, params, root_view_id=None)}


def push(ws: Workspace, params: JSON) -> JSON:
    _spend_trigger(ws, params)
    modals = [v for v in ws.views.values() if v["type"] == "modal"]
    root = modals[-1]["root_view_id"] if modals else None
    return {"ok": True, "view": _new_view(ws, params, root_view_id=root)}


def publish(ws: Workspace, params: JSON) -> JSON:
    user_id = params.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: user_id"])
    view = check_view(params.get("view"))
    previous = ws.home_views.get(user_id)
    _check_hash(params, previous)
    view_id = previous["id"] if previous else ws.new_id("V")
    home = _stored(ws, view_id, view, root_view_id=view_id)
    ws.home_views[user_id] = ws.views[view_id] = home
    return {"ok": True, "view": home}


def update(ws: Workspace, params: JSON) -> JSON:
    view_id, external_id = params.get("view_id"), params.get("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments", messages=["[ERROR] view_id or external_id required"])
    current = ws.views.get(str(view_id)) if view_id else _by_external_id(ws, str(external_id))
    if current is None:
        raise SlackError("not_found")
    _check_hash(params, current)
    view = check_view(params.get("view"))
    if not view.get("external_id"):
        view = {**view, "external_id": current["external_id"]}
    updated = _stored(ws, current["id"], view, root_view_id=current["root_view_id"])
    ws.views[current["id"]] = updated
    for user_id, home in ws.home_views.items():
        if home["id"] == current["id"]:
            ws.home_views[user_id] = updated
    return {"ok": True, "view": updated}


def _spend_trigger(ws: Workspace, params: JSON) -> None:
    trigger_id = params.get("trigger_id")
    if not isinstance(trigger_id, str) or not trigger_id:
        missing = "[ERROR] missing required field: trigger_id"
        raise SlackError("invalid_arguments", messages=[missing])
    # Only ids the stand-in issued are checked; any other id stands for a fresh one from Slack.
    issued = ws.triggers.get(trigger_id)
    if trigger_id in ws.used_triggers:
        raise SlackError("exchanged_trigger_id")
    if issued is not None and time.monotonic() - issued > TRIGGER_LIFETIME:
        raise SlackError("expired_trigger_id")
    ws.used_triggers.add(trigger_id)


def _new_view(ws: Workspace, params: JSON, *, root_view_id: str | None) -> JSON:
    view = check_view(params.get("view"))
    external_id = view.get("external_id")
    if external_id and _by_external_id(ws, str(external_id)) is not None:
        raise SlackError("duplicate_external_id")
    view_id = ws.new_id("V")
    stored = _stored(ws, view_id, view, root_view_id=root_view_id or view_id)
    stored["trigger_id"] = params["trigger_id"]
    ws.views[view_id] = stored
    return stored


def _stored(ws: Workspace, view_id: str, view: JSON, *, root_view_id: str) -> JSON:
    return {
        "id": view_id,
        "team_id": ws.team_id,
        "app_id": ws.app_id,
        "bot_id": ws.bot_id,
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "clear_on_close": False,
        "notify_on_close": False,
        **view,
        "hash": f"{time.time():.6f}.{ws.new_id('H')}",
        "root_view_id": root_view_id,
        "previous_view_id": None,
    }


def _check_hash(params: JSON, current: JSON | None) -> None:
    wanted = params.get("hash")
    if wanted and current is not None and wanted != current["hash"]:
        raise SlackError("hash_conflict")


def _by_external_id(ws: Workspace, external_id: str) -> JSON | None:
    for view in ws.views.values():
        if view.get("external_id") == external_id:
            return view
    return None
