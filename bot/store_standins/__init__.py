"""Stand-ins for the two app stores' review APIs, for tests and the offline demo: App Store
Connect's customer reviews (`AppStoreStandIn`) and the Google Play Developer API's reviews with
Google's OAuth token endpoint (`GooglePlayStandIn`). Each is an aiohttp server on 127.0.0.1,
started with `async with`, that the app polls exactly as it polls the real API: same paths under
`base_url`, same auth, paging, errors and quotas. Each module's docstring says what it keeps of
the real API. Every request is in `calls`; faults on demand with `rate_limit` and `fail`.

This package knows nothing of the app it stands in for.
"""

from bot.store_standins.appstore import AppStoreStandIn, new_key
from bot.store_standins.common import Call
from bot.store_standins.googleplay import GooglePlayStandIn

__all__ = ["AppStoreStandIn", "Call", "GooglePlayStandIn", "new_key"]
