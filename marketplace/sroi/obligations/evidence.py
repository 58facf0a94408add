"""Evidence for a contribution (an invoice, a contract, a statement): a PDF or an image, checked
by real parsers before it is kept (pypdf for PDFs, Pillow for images), stored under a random name
outside the web root (instance/evidence), and only once its contribution is valid and committed:
`check` reads the upload without writing anything, `keep` writes it after the commit."""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, send_file
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.extensions import db
from marketplace.core.reasons import document_name
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution, ContributionDocument, ContributionMessage

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}
# Names that make a PDF act when opened or carry other files: refused wherever they appear.
ACTIVE_NAMES = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFile", "/EmbeddedFiles",
                "/Launch", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData", "/GoToE"}  # fmt: skip
# A PDF that a browser would also read as a web page (a polyglot): markup anywhere in the bytes.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|a\s|img\s|style)", re.I
)
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg|webp|gif)$")


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks, not yet on disk."""

    data: bytes
    extension: str
    name: str  # the random name it will be stored under


def evidence_dir() -> Path:
    folder = Path(current_app.instance_path) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pdf_is_safe(data: bytes) -> bool:
    """A parseable, unencrypted PDF without scripts, automatic actions or embedded files, that is
    not also a web page."""
    if not data.startswith(b"%PDF-") or MARKUP.search(data):
        return False
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return False
        if len(reader.pages) < 1:
            return False
        objects = [reader.trailer["/Root"]]
        for generation, numbers in reader.xref.items():
            objects.extend(IndirectObject(number, generation, reader) for number in numbers)
        objects.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
        return all(_inert(item, 0) for item in objects)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError):
        return False


def _inert(item: object, depth: int) -> bool:
    """No active name in this object or the direct objects inside it (indirect ones are checked
    on their own through the cross-reference table)."""
    if depth > 50:
        return False
    if isinstance(item, IndirectObject):
        if depth > 0:
            return True
        item = item.get_object()
    if isinstance(item, NameObject):
        return str(item) not in ACTIVE_NAMES
    if isinstance(item, DictionaryObject):
        if any(str(key) in ACTIVE_NAMES for key in item):
            return False
        return all(_inert(value, depth + 1) for value in item.values())
    if isinstance(item, ArrayObject):
        return all(_inert(value, depth + 1) for value in item)
    return True


def _image_extension(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            extension = IMAGE_FORMATS.get(probe.format or "")
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decode it all: verify() alone accepts a cut-off file
        return extension
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def kind_of(data: bytes) -> str | None:
    """'pdf' or an image extension when the bytes are a safe one, else None (the name says nothing)."""
    if data.startswith(b"%PDF-"):
        return "pdf" if _pdf_is_safe(data) else None
    return _image_extension(data)


def check(data: bytes) -> Checked:
    """Check one upload (nothing is written); refused with the reason when it cannot be kept."""
    extension = kind_of(data) if 0 < len(data) <= MAX_EVIDENCE_BYTES else None
    if extension is None:
        raise ServiceError("sroi.bad_evidence", megabytes=MAX_EVIDENCE_BYTES // (1024 * 1024))
    return Checked(data, extension, f"{uuid.uuid4().hex}.{extension}")


def keep(checked: Checked) -> None:
    """Write a checked upload, once the contribution that names it is committed."""
    (evidence_dir() / checked.name).write_bytes(checked.data)


def store(data: bytes) -> str:
    """Check and write one upload at once (for callers without a transaction to wait for)."""
    checked = check(data)
    keep(checked)
    return checked.name


def path_of(name: str) -> Path | None:
    """The stored file of a name this module gave out (None for anything else or a missing file)."""
    if not STORED_NAME.match(name or ""):
        return None
    path = evidence_dir() / name
    return path if path.is_file() else None


def media_type(name: str) -> str:
    return MEDIA_TYPES[name.rsplit(".", 1)[1]]


def remove(name: str) -> bool:
    path = path_of(name)
    if path is None:
        return False
    path.unlink()
    return True


def may_open(user: User, contribution: Contribution) -> bool:
    """The obligation's contractor, the subcontractor who entered it, and the coordinators of its
    region; nobody else."""
    obligation = contribution.obligation
    if user.has_role("contractor") and user.id in (obligation.contractor_id, contribution.entered_by_id):
        return True
    return user.has_role("coordinator") and obligation.region_id in user.coordinator_region_ids()


def opened(
    user: User, contribution_id: int, message_id: int | None = None, document_id: int | None = None
) -> tuple[Path, str, Contribution]:
    """The evidence file of a contribution the user may open (LookupError otherwise, as if it did
    not exist), its download name and the contribution. Opening a hire document (personal data
    of the person hired) goes into the audit log, committed before the file is served."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or not may_open(user, contribution):
        raise LookupError(contribution_id)
    name = contribution.evidence_filename
    if message_id is not None:
        message = db.session.get(ContributionMessage, message_id)
        if message is None or message.contribution_id != contribution.id:
            raise LookupError(message_id)
        name = message.evidence_filename
    document = None
    if document_id is not None:
        document = db.session.get(ContributionDocument, document_id)
        if document is None or document.contribution_id != contribution.id:
            raise LookupError(document_id)
        name = document.filename
    path = path_of(name or "")
    if path is None:
        raise LookupError(contribution_id)
    if contribution.kind == "hire":
        audit.record(
            user, "evidence.opened", "contribution", contribution.id,
            region_id=contribution.obligation.region_id, obligation=contribution.obligation_id,
            message=message_id, document=document.document if document else None,
        )  # fmt: skip
        db.session.commit()
    extension = path.name.rsplit(".", 1)[1]
    suffix = f"-{message_id}" if message_id is not None else ""
    if document is not None:  # named by what it is, in the reader's language
        suffix = "-" + file_words(document_name(document.document))
    return path, f"bewijsstuk-{contribution.id}{suffix}.{extension}", contribution


def file_words(name: str, limit: int = 40) -> str:
    """A name as words for a file name: "doelgroepverklaring-van-uwv-of-de-gemeente" (whole words,
    plain letters, at most `limit` characters)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", plain):
        if words and len("-".join([*words, word])) > limit:
            break
        words.append(word[:limit])
    return "-".join(words)


def response(
    user: User, contribution_id: int, message_id: int | None = None, document_id: int | None = None
) -> Response:
    """The file as a download with its real type, never shown inline: a browser must not read
    it as a page (nosniff, and a sandbox should it be opened anyway)."""
    path, download_name, _contribution = opened(user, contribution_id, message_id, document_id)
    sent = send_file(
        path, mimetype=media_type(path.name), as_attachment=True, download_name=download_name,
        max_age=0, conditional=False, etag=False,
    )  # fmt: skip
    sent.headers["X-Content-Type-Options"] = "nosniff"
    sent.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    sent.headers["Cache-Control"] = "private, no-store"
    return sent
