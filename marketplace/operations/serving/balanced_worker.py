"""gunicorn's gthread worker that leaves a new connection to the least busy worker.

Kept-alive connections stay with the worker that accepted them, and plain gthread accepts
whatever arrives. Measured here (2 workers, wrk -c8 on the search page): in about four runs in
ten, 7 or all 8 connections landed on one worker, which then served them on one core while the
other idled: 290 instead of 700 requests a second. A load balancer or proxy that keeps a few
connections open to the app server has the same problem.

So each worker publishes how many requests it has in hand (running or queued for a thread) in
memory shared by the workers of one server, and takes a new connection only while no other live
worker has fewer. The least busy worker always accepts, so no connection waits for long; idle
kept-alive connections count for nothing. Relies on gunicorn 27's ThreadWorker (enqueue_req,
finish_request, set_accept_enabled), hence the pin in setup.cfg.
"""

from __future__ import annotations

import ctypes
from multiprocessing.sharedctypes import RawArray
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 64  # a worker beyond this many takes part without a slot: it accepts as plain gthread does
# Created when the arbiter imports this module (it loads the worker class before forking), so
# every worker of the server sees the same memory. -1: no live worker in that slot.
_IN_HAND = RawArray(ctypes.c_int, [-1] * SLOTS)


def claim_slot(worker: Any) -> None:
    """In the arbiter, before the fork (gunicorn's pre_fork hook): a free slot for this worker."""
    slot = next((i for i in range(SLOTS) if _IN_HAND[i] < 0), None)
    worker.balance_slot = slot
    if slot is not None:
        _IN_HAND[slot] = 0


def release_slot(worker: Any) -> None:
    """In the arbiter, after the worker exited (gunicorn's child_exit hook)."""
    slot = getattr(worker, "balance_slot", None)
    if slot is not None:
        _IN_HAND[slot] = -1


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_hand = 0

    def _publish(self, change: int) -> None:
        self.in_hand += change
        slot = getattr(self, "balance_slot", None)
        if slot is not None:
            _IN_HAND[slot] = self.in_hand

    def _least_busy(self) -> bool:
        mine = self.in_hand
        return all(other < 0 or mine <= other for other in _IN_HAND)

    def enqueue_req(self, conn: Any) -> None:
        self._publish(+1)
        if self._accepting and not self._least_busy():
            super().set_accept_enabled(False)  # the run loop asks again after the next event
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self._publish(-1)
        super().finish_request(conn, fs)

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and self._least_busy())
