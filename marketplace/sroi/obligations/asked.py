"""Which upload fields each contribution form shows: exactly the documents the obligation's rule
set asks for (its `evidence`), each by its name, and for each supplement its own proof where the
rule set asks one. The hire blocks are split over two forms: a hire (in dienst) and a
work-experience or learn-work place, because the two ask for different documents."""

from __future__ import annotations

from dataclasses import dataclass

from matching.sroi import RuleSet
from matching.sroi.evidence import block_kind, required

FORM_KINDS = ("purchase", "hire", "placement", "activity")


@dataclass(frozen=True)
class Asked:
    """One upload field: the document, and when it is needed if not always."""

    key: str
    only_for: tuple[str, ...] = ()  # hire blocks (keys) that need it, when not every block of the form does
    supplement: str | None = None  # needed only with this supplement

    @property
    def field(self) -> str:
        return f"document_{self.key}"


def kind_of_block(rules: RuleSet, block: str) -> str:
    """The form a hire block belongs on: 'placement' for a work-experience or learn-work place."""
    return "placement" if _as(rules, block) == "placement" else "hire"


def blocks_on(rules: RuleSet, form_kind: str) -> list[str]:
    return [block for block in rules.hires if kind_of_block(rules, block) == form_kind]


def asked_on(rules: RuleSet, form_kind: str) -> list[Asked]:
    """The upload fields of one form, in order."""
    if form_kind in ("purchase", "activity"):
        return [Asked(key) for key in required(rules.evidence, form_kind)]
    blocks = blocks_on(rules, form_kind)
    needs = {block: required(rules.evidence, "hire", _as(rules, block)) for block in blocks}
    keys = list(dict.fromkeys(key for block in blocks for key in needs[block]))
    found = []
    for key in keys:
        needing = tuple(block for block in blocks if key in needs[block])
        found.append(Asked(key, () if len(needing) == len(blocks) else needing))
    for name in rules.supplements:
        for key in rules.evidence.supplements.get(name, ()):
            if key not in keys:
                found.append(Asked(key, supplement=name))
                keys.append(key)
    return found


def _as(rules: RuleSet, block: str) -> str:
    found = rules.hires.get(block)
    return block_kind(rules.evidence, block, found.unit if found else None)
