"""The validated register record: what every spider produces and `impactmarkt resolve` reads.

One shape for three registers, so ingest and entity resolution never care which website a
fact came from. Validation happens here, not in the spiders, so a record read back from a
JSON-lines file is checked exactly like one fresh from a crawl.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

REGISTERS = ("pso", "code", "senl")
LEVELS = {
    "pso": ("Aspirant", "Basistrede", "Trede 1", "Trede 2", "Trede 3"),
    "code": ("Aangevraagd", "Toegelaten", "Aspirant"),
    "senl": ("Lid", "BOOST"),
}
# Fields whose absence is normal for a register and therefore not counted as missing.
NOT_PUBLISHED = {
    "pso": {"legal_form", "mission", "next_review", "membership"},
    "code": {"province", "valid_from", "valid_until", "pso30plus", "membership"},
    "senl": {"kvk", "legal_form", "valid_from", "valid_until", "next_review", "pso30plus"},
}
OPTIONAL_FIELDS = (
    "legal_form", "kvk", "city", "province", "website", "sectors", "valid_from", "valid_until",
    "next_review", "mission", "membership",
)  # fmt: skip
DATE_FIELDS = ("valid_from", "valid_until", "next_review")


class InvalidRecord(ValueError):
    """A page that does not make a usable record (the spider counts it as an error)."""


@dataclass
class RegisterRecord:
    register: str
    record_key: str
    name: str
    level: str | None
    legal_form: str | None = None
    kvk: list[str] = field(default_factory=list)
    city: str | None = None
    province: str | None = None
    website: str | None = None
    sectors: list[str] = field(default_factory=list)
    pso30plus: bool = False
    valid_from: date | None = None
    valid_until: date | None = None
    next_review: date | None = None
    mission: str | None = None
    membership: str | None = None
    source_url: str = ""  # the register's own public page for this record: what people follow
    fetched_url: str = ""  # where this crawl read it (the same, or a copy such as the snapshot)

    def validate(self) -> RegisterRecord:
        """Raise InvalidRecord unless the record can list an enterprise."""
        if self.register not in REGISTERS:
            raise InvalidRecord(f"unknown register {self.register!r}")
        if not self.record_key or not self.name:
            raise InvalidRecord(f"{self.register} {self.record_key or '?'}: no name or record key")
        if self.level not in LEVELS[self.register]:
            raise InvalidRecord(f"{self.register} {self.record_key}: unknown level or status {self.level!r}")
        if any(len(number) != 8 or not number.isdigit() for number in self.kvk):
            raise InvalidRecord(f"{self.register} {self.record_key}: KvK numbers must have 8 digits")
        if self.pso30plus and not (self.register == "pso" and self.level == "Trede 3"):
            raise InvalidRecord(f"{self.register} {self.record_key}: PSO 30+ exists only with Trede 3")
        return self

    def missing_fields(self) -> list[str]:
        """Optional fields this register normally shows but this page did not."""
        skip = NOT_PUBLISHED[self.register]
        return [name for name in OPTIONAL_FIELDS if name not in skip and not getattr(self, name)]

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["kvk"] = list(self.kvk)
        data["sectors"] = list(self.sectors)
        for name in DATE_FIELDS:
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RegisterRecord:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for name in DATE_FIELDS:
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        values.setdefault("level", None)
        return cls(**values)

    def content_hash(self, data: dict[str, Any] | None = None) -> str:
        """A hash of the register facts, to tell 'seen again' from 'changed'."""
        facts = {k: v for k, v in (data or self.to_json()).items() if k not in ("source_url", "fetched_url")}
        return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_FIELD_NAMES = tuple(f.name for f in fields(RegisterRecord))
