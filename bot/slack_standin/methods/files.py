"""files.getUploadURLExternal → POST the bytes → files.completeUploadExternal (files_upload_v2)."""

import mimetypes
import time

from bot.slack_standin.errors import SlackError
from bot.slack_standin.params import integer
from bot.slack_standin.workspace import JSON, Workspace

UPLOAD_PATH = "upload/v1/"
MAX_ALT_TXT = 1000  # files.getUploadURLExternal answers alt_txt_too_large past it


def get_upload_url(ws: Workspace, params: JSON) -> JSON:
    filename = params.get("filename")
    length = integer(params, "length", -1)
    if not isinstance(filename, str) or not filename or length < 0:
        raise SlackError("missing_argument")
    alt_txt = params.get("alt_txt")
    if isinstance(alt_txt, str) and len(alt_txt) > MAX_ALT_TXT:
        raise SlackError("alt_txt_too_large")
    file_id = ws.new_id("F")
    ws.uploads[file_id] = {
        "id": file_id,
        "filename": filename,
        "length": length,
        "alt_txt": alt_txt,
        "bytes": None,
    }
    return {"ok": True, "upload_url": f"{ws.base_url}{UPLOAD_PATH}{file_id}", "file_id": file_id}


def receive_upload(ws: Workspace, file_id: str, data: bytes) -> bool:
    """Store the bytes POSTed to an upload_url; False when no such upload was announced."""
    upload = ws.uploads.get(file_id)
    if upload is None:
        return False
    upload["bytes"] = data
    return True


def complete_upload(ws: Workspace, params: JSON) -> JSON:
    entries = params.get("files")
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: files"])
    channels = _channels(ws, params)
    thread_ts, comment = params.get("thread_ts"), params.get("initial_comment")
    completed = []
    for entry in entries:
        upload = ws.uploads.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        # A file whose bytes never arrived cannot be completed.
        if upload is None or upload["bytes"] is None:
            raise SlackError("file_not_found")
        completed.append((upload, str(entry.get("title") or upload["filename"])))
    shared = []
    for upload, title in completed:
        del ws.uploads[upload["id"]]
        ws.files[upload["id"]] = {
            "id": upload["id"],
            "filename": upload["filename"],
            "title": title,
            "alt_txt": upload["alt_txt"],
            "bytes": upload["bytes"],
            "channel_id": channels[0] if channels else None,
            "channels": channels,
            "thread_ts": thread_ts,
            "initial_comment": comment,
        }
        shared.append(_file_object(ws, ws.files[upload["id"]]))
    for channel in channels:
        message = ws.bot_message(str(comment or ""), files=shared, upload=True, thread_ts=thread_ts)
        ws.insert_message(channel, message)
    return {"ok": True, "files": shared}


def _channels(ws: Workspace, params: JSON) -> list[str]:
    named = [str(params["channel_id"])] if params.get("channel_id") else []
    named += [c.strip() for c in str(params.get("channels") or "").split(",") if c.strip()]
    resolved = [ws.resolve_channel(c) for c in named]
    for channel in resolved:  # sharing a file is posting: the bot must be in the channel
        ws.channels.check_bot_access(channel)
    return resolved


def _file_object(ws: Workspace, stored: JSON) -> JSON:
    mimetype = mimetypes.guess_type(stored["filename"])[0] or "application/octet-stream"
    return {
        "id": stored["id"],
        "created": int(time.time()),
        "name": stored["filename"],
        "title": stored["title"],
        "mimetype": mimetype,
        "size": len(stored["bytes"]),
        "user": ws.bot_user_id,
        "channels": stored["channels"],
        "url_private": f"{ws.base_url}files/{stored['id']}/{stored['filename']}",
    }
