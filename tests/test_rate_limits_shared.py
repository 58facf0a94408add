"""With Redis configured, rate limits hold across app servers: this process and a second one (as
a second gunicorn worker or machine would be) count one account's failed logins together."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from tests.conftest import fresh_request_globals, make_test_app
from tests.factories import login, user

REDIS_URL = "redis://127.0.0.1:6379/15"
OTHER_SERVER = """
import json, sys
from marketplace import create_app
from tests.conftest import fresh_request_globals
from tests.factories import login
app = fresh_request_globals(create_app({"SECRET_KEY": "test-secret-key", "TESTING": True,
    "SERVER_NAME": "impactmarkt.test", "PUBLIC_URL": "https://impactmarkt.test", "DEVELOPMENT": True}))
with app.app_context():
    print(json.dumps([login(app.test_client(), sys.argv[1], "fout-wachtwoord-000").status_code for _ in range(2)]))
"""


def test_failed_logins_count_across_two_app_servers(app, tmp_path: Path) -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required on CI (127.0.0.1:6379)")
        pytest.skip("no Redis at 127.0.0.1:6379")
    email = f"{uuid.uuid4().hex[:12]}@gemeente.example"
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    here = fresh_request_globals(
        make_test_app(database, tmp_path / "one", REDIS_URL=REDIS_URL, RATELIMIT_STORAGE_URI=REDIS_URL)
    )
    with here.app_context():
        user(email, "procurer")
        statuses = [login(here.test_client(), email, "fout-wachtwoord-000").status_code for _ in range(3)]
    environment = {**os.environ, "IMPACTMARKT_DATABASE_URL": database, "IMPACTMARKT_REDIS_URL": REDIS_URL,
                   "IMPACTMARKT_SEARCH_INDEX_DIR": str(tmp_path / "two"), "IMPACTMARKT_TODAY": "2026-11-01"}  # fmt: skip
    other = subprocess.run([sys.executable, "-c", OTHER_SERVER, email], env=environment, capture_output=True,
                           text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert other.returncode == 0, other.stderr
    statuses += json.loads(other.stdout.strip().splitlines()[-1])
    with here.app_context():
        statuses.append(login(here.test_client(), email, "fout-wachtwoord-000").status_code)
    assert statuses == [200, 200, 200, 200, 200, 429]
