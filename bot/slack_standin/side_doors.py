"""The stand-in's URLs outside /api/: upload_urls, response_urls and files' url_private."""

import mimetypes
from typing import Any

from aiohttp import web

from bot.slack_standin.blocks import MAX_MESSAGE_BLOCKS, check_blocks
from bot.slack_standin.calls import RESPONSE_URL, UPLOAD, CallLog
from bot.slack_standin.errors import SlackError
from bot.slack_standin.faults import Answer, Faults
from bot.slack_standin.methods.files import UPLOAD_PATH, receive_upload
from bot.slack_standin.workspace import Workspace

RESPONSE_PATH = "response/"


class SideDoors:
    def __init__(self, workspace: Workspace, log: CallLog, faults: Faults, token: str) -> None:
        self._workspace = workspace
        self._log = log
        self._faults = faults
        self._token = token

    def register(self, app: web.Application) -> None:
        app.router.add_post(f"/{UPLOAD_PATH}{{file_id}}", self.upload)
        app.router.add_post(f"/{RESPONSE_PATH}{{key}}", self.response_url)
        app.router.add_get("/files/{file_id}/{name}", self.download)

    async def upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await _uploaded_bytes(request)
        answer: Answer
        if (fault := self._faults.take(UPLOAD)) is not None:
            answer = fault.answer()
        elif receive_upload(self._workspace, file_id, data):
            answer = 200, {"ok": True}, {}
        else:
            answer = 404, {"ok": False, "error": "file_not_found"}, {}
        status, body, headers = answer
        self._log.answered(UPLOAD, {"file_id": file_id, "length": len(data)}, None, status, body)
        # Slack's upload host answers plain text, which is what slack-sdk expects back.
        text = f"OK - {len(data)}" if status == 200 else str(body["error"])
        return web.Response(text=text, status=status, headers=headers, content_type="text/plain")

    async def response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        try:
            payload: Any = await request.json()
        except ValueError:
            payload = None
        answer: Answer
        if (fault := self._faults.take(RESPONSE_URL)) is not None:
            answer = fault.answer()
        elif not isinstance(payload, dict):
            answer = 400, {"ok": False, "error": "invalid_payload"}, {}
        elif (refusal := _refused_blocks(payload)) is not None:
            # As for an incoming webhook: HTTP 400 and the error as the plain-text body.
            answer = 400, refusal.body(), {}
        else:
            self._workspace.responses[key].append(payload)
            answer = 200, {"ok": True}, {}
        status, body, headers = answer
        self._log.answered(RESPONSE_URL, {"key": key, "payload": payload}, None, status, body)
        text = "ok" if status == 200 else str(body["error"])
        return web.Response(text=text, status=status, headers=headers, content_type="text/plain")

    async def download(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self._token}":
            return web.Response(status=403, text="forbidden")
        stored = self._workspace.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404, text="not found")
        mimetype = mimetypes.guess_type(stored["filename"])[0] or "application/octet-stream"
        return web.Response(body=stored["bytes"], content_type=mimetype)


def _refused_blocks(payload: dict[str, Any]) -> SlackError | None:
    blocks = payload.get("blocks")
    if blocks is None:
        return None
    if not isinstance(blocks, list):
        return SlackError("invalid_blocks_format")
    try:
        check_blocks(blocks, limit=MAX_MESSAGE_BLOCKS, pointer="/blocks", error="invalid_blocks")
    except SlackError as error:
        return error
    return None


async def _uploaded_bytes(request: web.Request) -> bytes:
    """The file's bytes, sent raw (slack-sdk) or as the first file of a multipart form."""
    if request.content_type != "multipart/form-data":
        return await request.read()
    for value in (await request.post()).values():
        if isinstance(value, web.FileField):
            return value.file.read()
    return b""
