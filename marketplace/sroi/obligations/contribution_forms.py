"""The forms to add a contribution, built for one obligation: exactly the upload fields its rule
set asks for (issue 23), the rule set's blocks and supplements by their names, and every named
block while the obligation waits for a rule set. The contractor's and a subcontractor's pages
use the same forms."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from marketplace.core.reasons import block_name, document_name, supplement_name
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import asked, waiting
from marketplace.sroi.obligations.forms import (
    ActivityForm,
    HireForm,
    PlacementForm,
    PurchaseForm,
    with_documents,
)
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.sroi import RuleSet
from matching.sroi.rulesets import names, no_ruleset

UPLOAD_HINT = _l("PDF of afbeelding, hoogstens 5 MB")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _uploads(rules: RuleSet, form_kind: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """The upload fields of a form (name -> label and id) and, per field, its hint: when it is needed."""
    fields: dict[str, tuple[str, str]] = {}
    hints: list[tuple[str, str]] = []
    for item in asked.asked_on(rules, form_kind):
        label = f"{_upper_first(document_name(item.key))} ({UPLOAD_HINT})"
        fields[item.field] = (label, f"{form_kind}-{item.key.replace('_', '-')}")
        if item.supplement:
            chosen = supplement_name(item.supplement)
            hint = _("Alleen nodig als u de toeslag ‘%(supplement)s’ kiest.", supplement=chosen)
        elif item.only_for:
            hint = _("Alleen nodig bij: %(blocks)s.", blocks="; ".join(block_name(b) for b in item.only_for))
        else:
            hint = _("Verplicht.")
        hints.append((item.field, hint))
    return fields, hints


def contribution_forms(obligation: Obligation) -> dict[str, object]:
    """The forms to add a contribution, each with exactly the upload fields its rule set asks for.
    An obligation waiting for a rule set offers every building block any table names."""
    english = str(get_locale() or "nl").startswith("en")
    is_waiting = waiting.is_waiting(obligation)
    rules = no_ruleset() if is_waiting else sroi_rulesets.rules(obligation.ruleset_id)
    language = "en" if english else "nl"
    found: dict[str, object] = {"rules": rules}
    classes = {"purchase": PurchaseForm, "hire": HireForm, "placement": PlacementForm,
               "activity": ActivityForm}  # fmt: skip
    hints: dict[str, list[tuple[str, str]]] = {}
    for form_kind, form_class in classes.items():
        fields, hints[form_kind] = _uploads(rules, form_kind)
        prefix = {"prefix": "placement"} if form_kind == "placement" else {}
        form = with_documents(form_class, fields, **prefix)
        if form_kind in ("hire", "placement") and is_waiting:
            form.block.choices = sorted(
                (SelectChoice(key, words[language]) for key, words in names()["block"].items()),
                key=lambda choice: choice.label.casefold(),
            )
            form.supplements.choices = sorted(
                (SelectChoice(key, words[language]) for key, words in names()["supplement"].items()),
                key=lambda choice: choice.label.casefold(),
            )
        elif form_kind in ("hire", "placement"):
            blocks = [(name, rules.hires[name]) for name in asked.blocks_on(rules, form_kind)]
            form.block.choices = [
                SelectChoice(name, (block.en if english else block.nl) or block_name(name))
                for name, block in blocks
            ]
            form.supplements.choices = [
                SelectChoice(name, (item.en if english else item.nl) or supplement_name(name))
                for name, item in rules.supplements.items()
            ]
        found[form_kind] = form
    found["uploads"] = hints
    return found


