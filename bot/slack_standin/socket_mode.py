"""Socket Mode's side of Slack: apps.connections.open hands out a websocket URL on the
stand-in, and tests push envelopes through it and read the app's acknowledgements."""

import asyncio
import json
import uuid
from typing import Any

from aiohttp import WSMsgType, web

SOCKET_PATH = "socket-mode"


class SocketModeServer:
    def __init__(self) -> None:
        self._sockets: list[web.WebSocketResponse] = []
        self._connected = asyncio.Event()
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}

    def register(self, app: web.Application) -> None:
        app.router.add_get(f"/{SOCKET_PATH}", self._socket)

    def url(self, base_url: str) -> str:
        return base_url.replace("http://", "ws://", 1) + f"{SOCKET_PATH}?ticket={uuid.uuid4()}"

    async def wait_connected(self, within: float) -> None:
        await asyncio.wait_for(self._connected.wait(), within)

    async def send(
        self, envelope_type: str, payload: dict[str, Any], within: float
    ) -> dict[str, Any]:
        """Deliver one envelope to the connected app; return its acknowledgement."""
        await self.wait_connected(within)
        envelope_id = str(uuid.uuid4())
        ack: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = ack
        envelope = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._sockets[-1].send_str(json.dumps(envelope))
        try:
            return await asyncio.wait_for(ack, within)
        finally:
            self._acks.pop(envelope_id, None)

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()  # answers the client's pings, as Slack does
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": len(self._sockets)}))
        self._connected.set()
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                data = json.loads(message.data)
                ack = self._acks.get(str(data.get("envelope_id")))
                if ack is not None and not ack.done():
                    ack.set_result(data)
        finally:
            self._sockets.remove(ws)
            if not self._sockets:
                self._connected.clear()
        return ws
