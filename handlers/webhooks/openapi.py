"""`GET /openapi.json`: the webhooks' contract as OpenAPI 3.1, so a sender's
tools can generate clients, mock the endpoints and check their payloads.

The document is hand-written next to this module; the tests hold it valid OpenAPI 3.1 and
fuzz both webhooks against it, so it cannot drift from what the handlers answer.
"""

from functools import cache
from importlib import resources

from aiohttp import web

DOCUMENT = "openapi.json"


@cache
def openapi_document() -> bytes:
    """The document's bytes, read once, on first use (nothing is read at import)."""
    return resources.files(__package__).joinpath(DOCUMENT).read_bytes()


async def openapi(request: web.Request) -> web.Response:
    return web.Response(body=openapi_document(), content_type="application/json")
