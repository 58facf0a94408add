"""The balanced gunicorn worker (marketplace/operations/serving/balanced_worker.py) builds on four
names that are not gunicorn's public API: ThreadWorker.enqueue_req, .finish_request,
.set_accept_enabled and the attribute ._accepting. This test fails the day a gunicorn release
renames one, changes its arguments, or stops calling it from the run loop (issue 22), so the pin
in setup.cfg is not the only guard."""

from __future__ import annotations

import inspect

from gunicorn.workers.gthread import ThreadWorker

from marketplace.operations.serving.balanced_worker import BalancedThreadWorker

SOURCE = inspect.getsource(ThreadWorker)


def _parameters(name: str) -> list[str]:
    return list(inspect.signature(getattr(ThreadWorker, name)).parameters)


def test_the_three_methods_exist_with_the_arguments_the_balanced_worker_passes() -> None:
    assert _parameters("enqueue_req") == ["self", "conn"]
    assert _parameters("finish_request") == ["self", "conn", "fs"]
    assert _parameters("set_accept_enabled") == ["self", "enabled"]


def test_gunicorn_still_calls_them_where_the_balanced_worker_hooks_in() -> None:
    # Every accepted or kept-alive connection is queued through enqueue_req ...
    assert SOURCE.count("self.enqueue_req(conn)") >= 2
    # ... every finished request comes back through finish_request ...
    assert "self.finish_request, conn" in SOURCE
    # ... and the run loop switches accepting on and off through set_accept_enabled.
    assert "self.set_accept_enabled(can_accept)" in SOURCE or "self.set_accept_enabled(True)" in SOURCE


def test_the_accepting_flag_is_the_one_set_accept_enabled_keeps() -> None:
    assert "self._accepting = False" in SOURCE  # set in __init__
    assert "self._accepting = enabled" in SOURCE  # kept by set_accept_enabled
    assert "self._accepting" in inspect.getsource(BalancedThreadWorker.enqueue_req)


def test_the_balanced_worker_overrides_exactly_these_names() -> None:
    own = {name for name in vars(BalancedThreadWorker) if not name.startswith("__")}
    gunicorn_names = own & set(dir(ThreadWorker))
    assert gunicorn_names == {"enqueue_req", "finish_request", "set_accept_enabled"}
