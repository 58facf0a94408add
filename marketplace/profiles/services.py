"""Owners' edits: sanitised rich text, offerings, images; every change versioned with who and when.

A register fact is never written here, and a crawl never writes what is written here: each
owner field records its source in `field_sources`.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

from flask import current_app
from PIL import Image, UnidentifiedImageError

from marketplace.accounts.models import User
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import Offering, OrganisationImage, ProfileVersion
from marketplace.organisations.rich_text import sanitise

OWNER_FIELDS = (
    "description",
    "target_groups",
    "impact_statement",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_postcode",
    "regions_served",
)
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 1600
ALLOWED_IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class ProfileError(ServiceError):
    """An edit that cannot be saved."""


def update(organisation: Organisation, user: User, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Save the owner fields that changed, as one version. Returns {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for field in OWNER_FIELDS:
        if field not in values:
            continue
        new = values[field]
        if field == "description" and new:
            new = sanitise(new)
        old = getattr(organisation, field)
        if (old or None) != (new or None):
            changes[field] = [old, new]
            setattr(organisation, field, new)
    if changes:
        _version(organisation, user, changes)
    db.session.commit()
    return changes


def _version(organisation: Organisation, user: User, changes: dict[str, list[Any]]) -> None:
    now = utcnow()
    sources = dict(organisation.field_sources or {})
    for field in changes:
        sources[field] = {"source": "owner", "by": user.id, "at": now.isoformat(timespec="seconds")}
    organisation.field_sources = sources
    db.session.add(ProfileVersion(organisation_id=organisation.id, user_id=user.id, at=now, changes=changes))


def add_offering(
    organisation: Organisation, user: User, cpv_code: str, title: str, description: str, price: str | None
) -> Offering:
    offering = Offering(
        organisation_id=organisation.id,
        cpv_code=cpv_code,
        title=title.strip(),
        description=description.strip(),
        price_indication=(price or "").strip() or None,
    )
    db.session.add(offering)
    _version(organisation, user, {"offering": [None, f"{cpv_code} {offering.title}"]})
    db.session.commit()
    return offering


def remove_offering(organisation: Organisation, user: User, offering_id: int) -> None:
    offering = db.session.get(Offering, offering_id)
    if offering is None or offering.organisation_id != organisation.id:
        raise ProfileError("profile.offering_elsewhere")
    _version(organisation, user, {"offering": [f"{offering.cpv_code} {offering.title}", None]})
    db.session.delete(offering)
    db.session.commit()


def media_dir() -> Path:
    folder = Path(current_app.instance_path) / "media"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def add_image(
    organisation: Organisation, user: User, kind: str, data: bytes, alt_text: str
) -> OrganisationImage:
    """Check an upload by its content, not its name; store a clean re-encoded copy."""
    if kind not in ("logo", "photo"):
        raise ProfileError("profile.choose_image_kind")
    if len(data) > MAX_IMAGE_BYTES:
        raise ProfileError("profile.image_too_large", megabytes=2)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ProfileError("profile.not_an_image") from None
    if image.format not in ALLOWED_IMAGE_FORMATS:
        raise ProfileError("profile.not_an_image")
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    has_alpha = image.mode in ("RGBA", "LA", "P")
    clean = image.convert("RGBA" if has_alpha else "RGB")
    filename = f"{uuid.uuid4().hex}.{'png' if has_alpha else 'jpg'}"
    clean.save(media_dir() / filename, format="PNG" if has_alpha else "JPEG", quality=85)
    if kind == "logo":
        for old in db.session.scalars(
            db.select(OrganisationImage).filter_by(organisation_id=organisation.id, kind="logo")
        ):
            db.session.delete(old)
    stored = OrganisationImage(
        organisation_id=organisation.id,
        kind=kind,
        filename=filename,
        alt_text=alt_text.strip()[:200],
        width=clean.width,
        height=clean.height,
    )
    db.session.add(stored)
    _version(organisation, user, {kind: [None, filename]})
    db.session.commit()
    return stored
