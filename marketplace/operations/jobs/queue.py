"""The Huey instance for this app's settings: Redis, SQLite (embedded default) or immediate (tests)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey


def make_queue(config: Mapping[str, Any]) -> Huey:
    backend, name = config["JOBS_BACKEND"], config["JOBS_QUEUE_NAME"]
    if backend == "redis":
        return RedisHuey(name, url=config["REDIS_URL"], utc=True)
    if backend == "sqlite":
        path = Path(config["JOBS_FILE"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), utc=True)
    return MemoryHuey(name, immediate=True, utc=True)
