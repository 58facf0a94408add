"""Which index generation the app servers announced, known without asking Redis on every request.

With several app servers on PostgreSQL, each one learns of another's index change from a counter
in Redis. Reading it with a GET per request cost a round trip (about 0.13 ms here, a tenth of a
search page). Instead one thread per process subscribes to the announcements and keeps the
latest value; a request reads a variable. Until the thread is subscribed (and whenever Redis is
away) every call asks Redis as before, so an announcement is never missed.
"""

from __future__ import annotations

import os
import threading
import time

import redis

GENERATION_KEY = "impactmarkt:search-generation"  # bumped after every committed index change
CHANNEL = "impactmarkt:search-generation"  # the new value, published right after the bump


class GenerationWatch:
    def __init__(self, url: str) -> None:
        self._url = url
        self._client = redis.Redis.from_url(url, socket_timeout=2)
        self._value = b"0"
        self._listening = False
        self._started_in: int | None = None
        self._start = threading.Lock()

    @property
    def listening(self) -> bool:
        """Whether this process's thread is subscribed (then current() asks Redis nothing)."""
        return self._listening and self._started_in == os.getpid()

    def current(self) -> bytes | None:
        """The announced generation (b"0" before any), or None without (reachable) Redis."""
        if self.listening:
            return self._value
        self._ensure_listener()
        try:
            return self._client.get(GENERATION_KEY) or b"0"
        except redis.RedisError:
            return None

    def announce(self) -> None:
        """Bump the generation and tell every listening server (after the change is committed)."""
        value = self._client.incr(GENERATION_KEY)
        self._client.publish(CHANNEL, value)
        self._keep(str(value).encode())  # this process knows at once, whatever its thread is doing

    def _keep(self, value: bytes) -> None:
        # Two servers may publish out of order (5 after 6): the generation only goes up.
        if int(value) > int(self._value):
            self._value = value

    def _ensure_listener(self) -> None:
        """One listening thread per process (a forked worker starts its own)."""
        with self._start:
            if self._started_in == os.getpid():
                return
            self._started_in = os.getpid()
            self._listening = False
            threading.Thread(target=self._listen, name="search-generation-watch", daemon=True).start()

    def _listen(self) -> None:
        # Short polls rather than one blocking read, so the health check (a PING every 10 s) runs
        # while no announcement comes; a broken connection ends the subscription, and until it is
        # back, requests read the counter.
        client = redis.Redis.from_url(
            self._url, socket_timeout=5, socket_keepalive=True, health_check_interval=10
        )
        while True:
            subscription = client.pubsub()
            try:
                subscription.subscribe(CHANNEL)
                confirmed = None
                while confirmed is None or confirmed["type"] != "subscribe":
                    confirmed = subscription.get_message(timeout=5)
                # Subscribed first, then read: an announcement in between arrives as a message.
                self._keep(client.get(GENERATION_KEY) or b"0")
                self._listening = True
                while True:
                    message = subscription.get_message(timeout=1.0)
                    if message is not None and message["type"] == "message":
                        self._keep(message["data"])
            except Exception:  # Redis away or a stray message: listen again, never die
                pass
            finally:
                self._listening = False
                subscription.close()
            time.sleep(1)


_WATCHES: dict[str, GenerationWatch] = {}
_WATCHES_LOCK = threading.Lock()


def watch_for(url: str) -> GenerationWatch:
    """One watch per Redis address in a process, shared by every app made in it (tests make many)."""
    with _WATCHES_LOCK:
        found = _WATCHES.get(url)
        if found is None:
            found = _WATCHES[url] = GenerationWatch(url)
        return found
