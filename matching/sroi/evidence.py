"""Which documents a coordinator needs to sign a contribution off, as rule-set data.

A rule set's `evidence` key says per kind of contribution which documents are asked (a purchase
its invoice; a hire a target-group statement and the employment contract or placement agreement,
two separate documents; a work-experience or learn-work place its agreement; an activity a short
report or photo), which hire blocks are a work-experience or learn-work place or an activity, and
which supplements ask for a proof of their own. A version stored before this key existed gets the
same requirements by default (blocks by their unit). The documents' Dutch and English names are in
`evidence_documents` of matching/data/sroi_rulesets.yaml: a key never reaches a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

EVIDENCE_KINDS = ("purchase", "hire", "placement", "activity")
DEFAULT_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "purchase": ("invoice",),
    "hire": ("target_group_statement", "employment_contract"),
    "placement": ("placement_agreement",),
    "activity": ("report_or_photo",),
}
# Without data: a block paid per month or per learn-work year is a place, one per activity an activity.
KIND_BY_UNIT = {"month": "placement", "learn_work_year": "placement", "each": "activity"}
DOCUMENT_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_DOCUMENTS = 5


class EvidenceRuleError(ValueError):
    """An `evidence` entry that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class EvidenceRules:
    """Documents per evidence kind, the kind of each named hire block, documents per supplement."""

    kinds: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_DOCUMENTS))
    blocks: dict[str, str] = field(default_factory=dict)
    supplements: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _keys(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or len(value) > MAX_DOCUMENTS:
        raise EvidenceRuleError(f"evidence.{where}: a list of at most {MAX_DOCUMENTS} documents")
    keys = tuple(str(item) for item in value)
    if any(not DOCUMENT_KEY.fullmatch(key) for key in keys) or len(set(keys)) != len(keys):
        raise EvidenceRuleError(f"evidence.{where}: document keys are lower-case words, each once")
    return keys


def parse_evidence(entry: dict[str, Any]) -> EvidenceRules:
    """The `evidence` of one rule-set entry; the defaults where the entry has none."""
    given = entry.get("evidence")
    if given is None:
        return EvidenceRules()
    if not isinstance(given, dict):
        raise EvidenceRuleError("evidence: a mapping of kinds to documents")
    kinds = dict(DEFAULT_DOCUMENTS)
    for kind in EVIDENCE_KINDS:
        if kind in given:
            kinds[kind] = _keys(given[kind], kind)
    blocks: dict[str, str] = {}
    for block, kind in (given.get("blocks") or {}).items():
        if kind not in EVIDENCE_KINDS or kind == "purchase":
            raise EvidenceRuleError(f"evidence.blocks.{block}: hire, placement or activity")
        blocks[str(block)] = str(kind)
    supplements = {
        str(name): _keys(documents, f"supplements.{name}")
        for name, documents in (given.get("supplements") or {}).items()
    }
    return EvidenceRules(kinds, blocks, supplements)


def block_kind(rules: EvidenceRules, block: str, unit: str | None) -> str:
    """'hire', 'placement' or 'activity': what a hire block asks evidence as."""
    return rules.blocks.get(block) or KIND_BY_UNIT.get(unit or "", "hire")


def required(
    rules: EvidenceRules, kind: str, block_as: str | None = None, supplements: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The documents a contribution needs, in order, each once: its kind's (a hire's block decides
    between hire, placement and activity) and those of each supplement chosen."""
    found = list(rules.kinds.get(block_as or kind, ()) if kind == "hire" else rules.kinds.get(kind, ()))
    for name in supplements:
        found.extend(key for key in rules.supplements.get(name, ()) if key not in found)
    return tuple(dict.fromkeys(found))
