"""The nightly schedule runs in Dutch time (Europe/Amsterdam), across both daylight-saving
changes, once a day (issue 22: it ran in UTC, so the 02:00 crawl started at 03:00 or 04:00)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from marketplace.core.clock import DUTCH_TIME
from marketplace.operations import jobs
from marketplace.operations.jobs.runner import due_in_dutch_time
from tests.conftest import make_test_app


def _due_moments(hour: int, minute: int, first: date, days: int) -> list[datetime]:
    """Every UTC minute over `days` days (as Huey's scheduler asks) at which the task is due."""
    due = due_in_dutch_time(hour, minute)
    start = datetime.combine(first, datetime.min.time())
    minutes = (start + timedelta(minutes=n) for n in range(days * 24 * 60))
    return [moment for moment in minutes if due(moment)]


def _dutch(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone(DUTCH_TIME).strftime("%Y-%m-%d %H:%M %Z")


def test_the_02_00_crawl_starts_at_02_00_dutch_time_in_winter_and_in_summer() -> None:
    assert [_dutch(m) for m in _due_moments(2, 0, date(2026, 1, 14), 1)] == ["2026-01-14 02:00 CET"]
    assert [_dutch(m) for m in _due_moments(2, 0, date(2026, 7, 1), 1)] == ["2026-07-01 02:00 CEST"]
    assert _due_moments(2, 0, date(2026, 7, 1), 1) == [datetime(2026, 7, 1, 0, 0)]  # in UTC


def test_across_the_clocks_going_forward_each_task_runs_once_a_day_in_order() -> None:
    # 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:00, 02:20 and 02:40 do not exist that night.
    seen = {at: [_dutch(m) for m in _due_moments(*at, date(2026, 3, 28), 3)] for at in ((2, 0), (2, 20), (2, 40))}
    assert seen[(2, 0)] == ["2026-03-28 02:00 CET", "2026-03-29 03:00 CEST", "2026-03-30 02:00 CEST"]
    assert seen[(2, 20)][1] == "2026-03-29 03:20 CEST" and seen[(2, 40)][1] == "2026-03-29 03:40 CEST"
    assert _dutch(_due_moments(3, 30, date(2026, 3, 29), 1)[0]) == "2026-03-29 03:30 CEST"  # the reindex


def test_across_the_clocks_going_back_the_hour_that_comes_twice_runs_once() -> None:
    # 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:00-02:59 happens twice.
    seen = [_dutch(m) for m in _due_moments(2, 0, date(2026, 10, 24), 3)]
    assert seen == ["2026-10-24 02:00 CEST", "2026-10-25 02:00 CEST", "2026-10-26 02:00 CET"]
    assert [_dutch(m) for m in _due_moments(7, 0, date(2026, 10, 25), 1)] == ["2026-10-25 07:00 CET"]


def test_the_worker_schedule_reads_the_settings_in_dutch_time(tmp_path) -> None:
    app = make_test_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, SCHEDULE=True)
    with app.app_context():
        queue = jobs.queue()
        winter = [t.name for t in queue.read_periodic(datetime(2026, 11, 2, 1, 0))]  # 02:00 CET
        summer = [t.name for t in queue.read_periodic(datetime(2026, 6, 2, 0, 0))]  # 02:00 CEST
        assert winter == summer == ["impactmarkt.schedule.crawl-pso"]
        assert queue.read_periodic(datetime(2026, 11, 2, 2, 0)) == []  # 03:00 Dutch time: nothing due
