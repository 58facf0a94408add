"""Rate limiting (Flask-Limiter): storage from the settings (RATELIMIT_STORAGE_URI: Redis when
IMPACTMARKT_REDIS_URL is set, so limits hold across workers and servers; memory otherwise).

The client address is the peer's, or, behind IMPACTMARKT_TRUSTED_PROXIES proxies, the one
they report (werkzeug's ProxyFix, set up in the app factory).
"""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

from marketplace.core.web import input_schema

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

# Per address generous enough for an office behind one address; per account strict enough
# to stop guessing one person's password.
LOGIN_PER_ADDRESS = "60 per minute; 600 per hour"
LOGIN_PER_ACCOUNT = "5 per minute; 30 per hour"


def submitted_account() -> str:
    """The e-mail address a login form names, folded, as the key of the per-account limit."""
    return "account:" + (input_schema.form().get("email") or "").strip().lower()[:254]


# Recording contributions (each may carry a file that is parsed): enough for a busy afternoon of
# invoices, not for a script filling the disk or the review queue.
SUBMISSIONS_PER_ACCOUNT = "30 per minute; 300 per hour"


def signed_in_account() -> str:
    """The signed-in account as the key of a per-account limit (the address when signed out)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "address:" + get_remote_address()
