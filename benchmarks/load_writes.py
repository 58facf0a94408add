"""Reads under writes, with worker recycling inside the measured run (issue 22: "benchmarks/load.py
keeps recycling and index changes out of the measured run").

gunicorn with the production configuration (gunicorn_config.py: balanced gthread workers, JSON
logs) but a low max_requests, so workers are recycled several times while clients read the
search, profile and API pages and, at the same time, a contractor submits purchases through the
API (each a new invoice, valued and stored), a procurer puts enterprises on a shortlist and
takes them off again (forms with CSRF), and an entrepreneur saves their profile text over and
over: each save changes the search index (the index-changing write issue 22 asks for). Nothing warms the server first: the run starts cold.

Each request's time is the server's own (gunicorn's access log, %(M)s, with the worker's pid): a
request is *cold* when it is among the first COLD_REQUESTS a worker serves (a new worker after
the start or a recycle), else *warm*. Reported: p50 and p95 of each, for reads and writes; the
clients' own p50 and p95 (queueing included); the number of recycles; any error or unexpected
status.

    .venv/bin/python -m benchmarks.load --writes [--backends sqlite postgresql] [--size 2000]
        [--seconds 60] [--max-requests 400]

Measured 2026-12-03 with `--size 2000 --seconds 60 --max-requests 200`, on 2 cores shared with
seven other engineers' work (load average about 15): the figures show the shape (cold against
warm), not what a quiet server does.
  SQLite: 1,080 requests, 4 recycles; reads cold p50 297 ms p95 2,338 ms, warm p50 74 ms p95
  531 ms; writes warm p50 312 ms p95 1,185 ms (13 cold, too few); 103 writes stored, 0 errors.
  PostgreSQL + Redis: 638 requests, 2 recycles; reads cold p50 562 ms p95 3,091 ms, warm p50
  335 ms p95 1,005 ms; writes warm p50 678 ms p95 1,666 ms (10 cold); 86 writes stored, 0 errors.
With the profile owner's index-changing saves added (SQLite, same flags, while the full test suite
ran beside it, load average about 3): 863 requests, 3 recycles; reads cold p50 282 ms p95
3,979 ms, warm p50 113 ms p95 4,209 ms; writes warm p50 252 ms p95 1,151 ms (18 cold); 288
writes answered as expected, 0 unexpected.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import select

from benchmarks.common import fresh_app
from benchmarks.search import drop_postgres_database, fill, free_port, postgres_database
from marketplace.accounts.models import User
from marketplace.accounts.services import create_user
from marketplace.core.extensions import db
from marketplace.organisations.models import Label, Organisation
from marketplace.organisations.owner_models import OrganisationOwner
from marketplace.procurement import shortlists
from marketplace.sroi.obligations import services as obligations

GUNICORN = Path(sys.executable).with_name("gunicorn")
ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "marketplace/operations/serving/gunicorn_config.py"
COLD_REQUESTS = 20
# The production log line, with the worker's pid: which worker served it, and its n-th request.
ACCESS_FORMAT = '{"pid": "%(p)s", "request": "%(r)s", "status": %(s)s, "ms": %(M)s}'
READERS = 6
PASSWORD = "load-benchmark-password-1"
REDIS_URL = "redis://127.0.0.1:6379/0"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Timed:
    kind: str  # "read" or "write"
    started: float  # time.time()
    seconds: float
    status: int  # 0: no answer


def _setup(app, size: int) -> dict:  # type: ignore[no-untyped-def]
    """Enterprises, a contractor with an obligation, a procurer with a list."""
    filled = fill(app, size)
    with app.app_context():
        create_user("aannemer@load.example", PASSWORD, ["contractor"], [])
        create_user("inkoper@load.example", PASSWORD, ["procurer"], [])
        create_user("eigenaar@load.example", PASSWORD, ["entrepreneur"], [])
        contractor = db.session.scalar(select(User).where(User.email == "aannemer@load.example"))
        procurer = db.session.scalar(select(User).where(User.email == "inkoper@load.example"))
        obligation = obligations.create_obligation(contractor, {
            "title": "Onderhoud", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "10000000",
            "starts_on": "2026-01-01", "ends_on": "2030-12-31", "region": "Twente", "cpv": [],
        })  # fmt: skip
        shortlist = shortlists.create(procurer, "Load")
        suppliers = [
            kvk for (numbers,) in db.session.execute(select(Label.kvk_numbers).where(Label.state == "active")).all()
            for kvk in (numbers or [])[:1]
        ][:500]  # fmt: skip
        ids = list(db.session.scalars(select(Organisation.id).where(Organisation.merged_into_id.is_(None))))
        slugs = list(db.session.scalars(select(Organisation.slug).where(Organisation.merged_into_id.is_(None))))
        owner = db.session.scalar(select(User).where(User.email == "eigenaar@load.example"))
        # As a confirmed claim leaves it (marketplace.profiles.claims): the owner of one enterprise.
        db.session.add(OrganisationOwner(organisation_id=ids[0], user_id=owner.id))
        db.session.commit()
        result = {"filled": filled, "obligation": obligation.id, "shortlist": shortlist.id,
                  "suppliers": suppliers, "ids": ids, "slugs": slugs, "owned": ids[0]}  # fmt: skip
        db.engine.dispose()
    return result


def _read_paths(slugs: list[str], rng: random.Random) -> list[str]:
    words = ["schoonmaak", "catering", "groen", "fietsen", "drukwerk", "bouw", "zeep", ""]
    paths = [f"/organisaties?q={rng.choice(words)}&region=Twente" for _ in range(200)]
    paths += [f"/api/v1/organisations?q={rng.choice(words)}" for _ in range(100)]
    paths += [f"/organisaties/{slug}" for slug in rng.sample(slugs, min(300, len(slugs)))]
    return paths


def _signed_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = ""
    for _ in range(1200):  # until the server listens (up to two minutes)
        try:
            page = session.get(base + "/inloggen", timeout=30).text
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    token = _CSRF.search(page).group(1)  # type: ignore[union-attr]
    answer = session.post(base + "/inloggen", data={"csrf_token": token, "email": email, "password": PASSWORD},
                          allow_redirects=False, timeout=30)  # fmt: skip
    assert answer.status_code == 302, (email, answer.status_code)
    return session


class Run:
    def __init__(self, base: str, until: float) -> None:
        self.base, self.until = base, until
        self.timed: list[Timed] = []
        self.unexpected: list[str] = []
        self.lock = threading.Lock()

    def call(self, session: requests.Session, kind: str, method: str, path: str, ok: tuple[int, ...],
             **kwargs: object) -> requests.Response | None:  # fmt: skip
        started, clock = time.time(), time.perf_counter()
        try:
            response = session.request(method, self.base + path, timeout=30, allow_redirects=False, **kwargs)
            status = response.status_code
        except requests.RequestException as error:
            response, status = None, 0
            with self.lock:
                self.unexpected.append(f"{method} {path}: {error.__class__.__name__}")
        with self.lock:
            self.timed.append(Timed(kind, started, time.perf_counter() - clock, status))
            if status and status not in ok:
                self.unexpected.append(f"{method} {path}: {status}")
        return response

    def reader(self, paths: list[str], seed: int) -> None:
        rng, session = random.Random(seed), requests.Session()
        while time.time() < self.until:
            self.call(session, "read", "GET", rng.choice(paths), (200,))

    def contractor(self, session: requests.Session, obligation: int, suppliers: list[str]) -> None:
        number = 0
        while time.time() < self.until:
            number += 1
            body = {"kind": "purchase", "supplier": suppliers[number % len(suppliers)],
                    "invoice_number": f"LOAD-{number}", "invoice_date": "2026-05-02", "amount_excl_vat": "1200"}  # fmt: skip
            # 201 stored; 400 only when the supplier's label does not count (said in words).
            self.call(session, "write", "POST", f"/api/v1/obligations/{obligation}/contributions", (201, 400),
                      json=body)  # fmt: skip

    def owner(self, session: requests.Session, organisation_id: int) -> None:
        """Saves the profile text again and again: every save re-indexes the enterprise."""
        edit = f"/ondernemer/{organisation_id}/bewerken"
        number = 0
        while time.time() < self.until:
            number += 1
            page = self.call(session, "read", "GET", edit, (200,))
            found = _CSRF.search(page.text) if page is not None else None
            if found is None:
                continue
            form = {"csrf_token": found.group(1), "description": f"Wij maken kantoren schoon, ronde {number}."}
            self.call(session, "write", "POST", edit, (302,), data=form)

    def procurer(self, session: requests.Session, shortlist: int, ids: list[int]) -> None:
        rng = random.Random(5)
        page = session.get(f"{self.base}/lijsten/{shortlist}", timeout=30).text
        token = _CSRF.search(page).group(1)  # type: ignore[union-attr]
        while time.time() < self.until:
            form = {"csrf_token": token, "shortlist_id": str(shortlist), "organisation_id": str(rng.choice(ids))}
            self.call(session, "write", "POST", "/lijsten/toevoegen", (302,), data=form)
            listed = self.call(session, "read", "GET", f"/lijsten/{shortlist}", (200,))
            found = re.search(rf"/lijsten/{shortlist}/items/(\d+)/verwijderen", listed.text if listed else "")
            if found:
                self.call(session, "write", "POST", f"/lijsten/{shortlist}/items/{found.group(1)}/verwijderen",
                          (302,), data={"csrf_token": token})  # fmt: skip


def _served(log: Path) -> list[tuple[str, bool, float]]:
    """(kind, cold, ms) of every request in the server's access log, in the order served."""
    seen: dict[str, int] = {}
    served = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith('{"pid"'):
            continue
        entry = json.loads(line)
        count = seen[entry["pid"]] = seen.get(entry["pid"], 0) + 1
        kind = "write" if entry["request"].startswith("POST") else "read"
        served.append((kind, count <= COLD_REQUESTS, float(entry["ms"]) / 1000))
    return served


def _percentiles(values: list[float]) -> str:
    if len(values) < 20:
        return f"n={len(values)} (too few for percentiles)"
    cuts = statistics.quantiles(values, n=20)
    return f"n={len(values):>5}  p50 {cuts[9] * 1000:6.0f} ms  p95 {cuts[18] * 1000:6.0f} ms"


def measure_with_writes(backend: str, size: int, seconds: int, max_requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = postgres_database() if backend == "postgresql" else f"sqlite:///{folder / 'load.sqlite'}"
        try:
            app = fresh_app(folder, url)
            setup = _setup(app, size)
            print(f"{backend}: {size:,} enterprises stored in {setup['filled']:.0f} s", flush=True)
            env = {
                **{key: value for key, value in os.environ.items() if not key.startswith("IMPACTMARKT_")},
                "IMPACTMARKT_DATABASE_URL": url,
                "IMPACTMARKT_SEARCH_INDEX_DIR": str(folder / "search-index"),
                "IMPACTMARKT_SECRET_KEY": "load",
                "IMPACTMARKT_JOBS_BACKEND": "immediate",
                "IMPACTMARKT_TODAY": "2026-11-01",
                "IMPACTMARKT_EXPORT_DIR": str(folder / "exports"),
                "IMPACTMARKT_MAIL_OUTBOX_DIR": str(folder / "outbox"),
                "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
                "IMPACTMARKT_SECURE_COOKIES": "0",  # the clients speak plain HTTP on the loopback
            }
            (folder / "metrics").mkdir()
            if backend == "postgresql":
                env["IMPACTMARKT_REDIS_URL"] = REDIS_URL
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = folder / "server.log"
            with log.open("w") as out:
                server = subprocess.Popen(
                    [str(GUNICORN), "-c", str(CONFIG), "-b", f"127.0.0.1:{port}", "--workers", "2",
                     "--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10),
                     "--access-logformat", ACCESS_FORMAT, "wsgi:app"],
                    env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            try:
                contractor = _signed_in(base, "aannemer@load.example")  # the first requests: cold
                procurer = _signed_in(base, "inkoper@load.example")
                owner = _signed_in(base, "eigenaar@load.example")
                started = time.time()
                run = Run(base, started + seconds)
                paths = _read_paths(setup["slugs"], random.Random(3))
                threads = [threading.Thread(target=run.reader, args=(paths, seed)) for seed in range(READERS)]
                threads.append(threading.Thread(target=run.contractor,
                                                args=(contractor, setup["obligation"], setup["suppliers"])))  # fmt: skip
                threads.append(threading.Thread(target=run.procurer, args=(procurer, setup["shortlist"], setup["ids"])))
                threads.append(threading.Thread(target=run.owner, args=(owner, setup["owned"])))
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            except Exception:
                print(log.read_text(encoding="utf-8", errors="replace")[-3000:], file=sys.stderr)
                raise
            finally:
                server.terminate()
                server.wait(timeout=60)
            served = _served(log)
            workers = len({line for line in log.read_text(errors="replace").splitlines() if "Booting worker" in line})
            print(f"  {seconds} s, {READERS} readers + 1 contractor + 1 procurer + 1 profile owner, 2 workers, max_requests "
                  f"{max_requests} (+ up to {max_requests // 10}): {len(served):,} requests served, "
                  f"{workers} workers booted ({max(0, workers - 2)} recycles); cold: a worker's first "
                  f"{COLD_REQUESTS} requests", flush=True)  # fmt: skip
            for kind in ("read", "write"):
                for label, chosen in (("cold", True), ("warm", False)):
                    values = [ms for found, is_cold, ms in served if found == kind and is_cold == chosen]
                    print(f"    server {kind:5} {label}: {_percentiles(values)}", flush=True)
                values = [t.seconds for t in run.timed if t.kind == kind]
                print(f"    client {kind:5} all : {_percentiles(values)}", flush=True)
            stored = sum(1 for t in run.timed if t.kind == "write" and t.status in (201, 302))
            print(f"    writes answered 201/302: {stored:,}; unexpected answers: {len(run.unexpected)}"
                  + (f" (first: {run.unexpected[:3]})" if run.unexpected else ""), flush=True)  # fmt: skip
        finally:
            if backend == "postgresql":
                drop_postgres_database(url)
