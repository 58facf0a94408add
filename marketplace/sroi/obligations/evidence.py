"""Evidence for a contribution (an invoice or a contract): a PDF or an image, checked by its
content and size, stored under a random name outside the web root (instance/evidence)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

from marketplace.core.refusals import ServiceError

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}


def evidence_dir() -> Path:
    folder = Path(current_app.instance_path) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def kind_of(data: bytes) -> str | None:
    """'pdf' or an image extension when the bytes are one, else None (the name says nothing)."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "pdf"
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            return IMAGE_FORMATS.get(probe.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def store(data: bytes) -> str:
    """Check and store one upload; returns its stored file name."""
    extension = kind_of(data) if 0 < len(data) <= MAX_EVIDENCE_BYTES else None
    if extension is None:
        raise ServiceError("sroi.bad_evidence", megabytes=MAX_EVIDENCE_BYTES // (1024 * 1024))
    name = f"{uuid.uuid4().hex}.{extension}"
    (evidence_dir() / name).write_bytes(data)
    return name
