"""Entity resolution inside the marketplace: one profile per enterprise, and coordinators decide the rest."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.organisations.models import Label, Organisation
from marketplace.resolution.models import ResolutionReview
from matching.resolution.features import record_id
from scrapers.snapshot_server import SNAPSHOT_DIR
from tests.crawling import fill
from tests.factories import csrf_token, login, user

pytestmark = pytest.mark.slow  # real crawls of the snapshot through the command

DE_LINDE = (
    "pso:/organisatie/65539-facilitair-bedrijf-de-linde-b-v.html",
    "pso:/organisatie/96884-facilitair-bedrijf-de-linde-b-v.html",
)


def pairs(assignment: dict[str, object]) -> set[tuple[str, str]]:
    groups: dict[object, list[str]] = defaultdict(list)
    for rid, entity in assignment.items():
        groups[entity].append(rid)
    return {tuple(sorted(pair)) for members in groups.values() for pair in itertools.combinations(members, 2)}


def organisation_of() -> dict[str, int]:
    db.session.remove()
    return {record_id(x.register, x.record_key): x.organisation_id for x in db.session.scalars(select(Label))}


def test_the_snapshot_resolves_to_one_profile_per_enterprise(app, tmp_path: Path) -> None:
    result = fill(app, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    truth = {
        record_id(row["register"], row["record_key"]): row["entity"]
        for row in map(json.loads, (SNAPSHOT_DIR / "truth-dev.jsonl").read_text().splitlines())
    }
    found, expected = pairs(organisation_of()), pairs(truth)
    precision = len(found & expected) / len(found)
    recall = len(found & expected) / len(expected)
    assert precision >= 0.995 and recall >= 0.98, (precision, recall)
    reviewed = {
        rid for r in db.session.scalars(select(ResolutionReview)) for rid in (r.left_record, r.right_record)
    }
    assert len(reviewed) <= 0.02 * len(truth)


def test_coordinators_see_the_review_queue_of_their_region_and_their_decision_survives_crawls(
    app, client, tmp_path: Path
) -> None:
    assert fill(app, tmp_path).returncode == 0
    user("amersfoort@regio.example", "coordinator", regions=("Amersfoort",))
    user("twente@regio.example", "coordinator", regions=("Twente",))
    assert organisation_of()[DE_LINDE[0]] != organisation_of()[DE_LINDE[1]]

    login(client, "twente@regio.example")
    assert "Facilitair Bedrijf De Linde" not in client.get("/coordinator/dubbelen").get_data(as_text=True)
    review_id = db.session.scalar(
        select(ResolutionReview.id).where(
            ResolutionReview.left_record == DE_LINDE[0], ResolutionReview.right_record == DE_LINDE[1]
        )
    )
    token = csrf_token(client, "/coordinator/dubbelen")
    refused = client.post(
        f"/coordinator/dubbelen/{review_id}", data={"decision": "merge", "csrf_token": token}
    )
    assert refused.status_code == 404  # not their region

    other = app.test_client()
    login(other, "amersfoort@regio.example")
    page = other.get("/coordinator/dubbelen").get_data(as_text=True)
    assert "Facilitair Bedrijf De Linde" in page and "KvK verschillend" in page
    token = csrf_token(other, "/coordinator/dubbelen")
    slugs_before = {db.session.get(Organisation, organisation_of()[rid]).slug for rid in DE_LINDE}
    done = other.post(f"/coordinator/dubbelen/{review_id}", data={"decision": "merge", "csrf_token": token})
    assert done.status_code == 302
    assert organisation_of()[DE_LINDE[0]] == organisation_of()[DE_LINDE[1]]
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "resolution.merge"))
    assert entry is not None and entry.details["left"] == DE_LINDE[0]
    survivor = db.session.get(Organisation, organisation_of()[DE_LINDE[0]])
    (merged_away,) = slugs_before - {survivor.slug}
    moved = other.get(f"/organisaties/{merged_away}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/organisaties/{survivor.slug}")

    assert fill(app, tmp_path / "again").returncode == 0
    assert organisation_of()[DE_LINDE[0]] == organisation_of()[DE_LINDE[1]], (
        "the coordinator's merge wins over a re-crawl"
    )


def test_a_coordinator_split_survives_a_recrawl(app, client, tmp_path: Path) -> None:
    assert fill(app, tmp_path).returncode == 0
    user("zeeland@regio.example", "coordinator", regions=("Zeeland",))
    review = db.session.scalar(
        select(ResolutionReview).where(
            ResolutionReview.left_record == "code:/register/specerijenhandel-middelburg-bv/"
        )
    )
    login(client, "zeeland@regio.example")
    token = csrf_token(client, "/coordinator/dubbelen")
    assert (
        client.post(
            f"/coordinator/dubbelen/{review.id}", data={"decision": "split", "csrf_token": token}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/coordinator/dubbelen/{review.id}", data={"decision": "merge", "csrf_token": token}
        ).status_code
        == 302
    )
    db.session.remove()
    assert db.session.get(ResolutionReview, review.id).status == "split"  # the second click changed nothing
    assert fill(app, tmp_path / "again").returncode == 0
    ids = organisation_of()
    assert ids[review.left_record] != ids[review.right_record]
    assert (
        db.session.scalar(select(AuditLogEntry.action).where(AuditLogEntry.subject_id == str(review.id)))
        == "resolution.split"
    )
