"""Links that leave the site (mails, exports, the OpenAPI document): built from IMPACTMARKT_PUBLIC_URL.

Never from the request's Host header, which a client chooses: a forged Host must not put
another domain into a password-reset link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def public_url_for(endpoint: str, **values: Any) -> str:
    base = current_app.config["PUBLIC_URL"]
    if has_request_context():
        path = url_for(endpoint, **values)
    else:  # a command: no request to take a script root from
        adapter = current_app.url_map.bind(urlsplit(base).netloc)
        path = adapter.build(endpoint, values)
    return base + path
