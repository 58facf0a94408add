"""Rate limiting (Flask-Limiter): in memory by default, in Redis when IMPACTMARKT_REDIS_URL is set."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from marketplace.config import env

limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=env("REDIS_URL", "memory://"),
    default_limits=[],
    headers_enabled=True,
)
