"""The forms to add a contribution, built for one obligation: exactly the upload fields its rule
set asks for (issue 23), the rule set's blocks and supplements by their names, and every named
block while the obligation waits for a rule set. The contractor's and a subcontractor's pages
use the same forms, and record what was submitted the same way (`record_submitted`,
`recorded_message`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import format_currency, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from marketplace.core.reasons import block_name, document_name, explain_all, supplement_name
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import asked, evidence, waiting
from marketplace.sroi.obligations.forms import (
    ActivityForm,
    HireForm,
    PlacementForm,
    PurchaseForm,
    with_documents,
)
from marketplace.sroi.obligations.services import Prepared
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


def record_submitted(form: Any, kind: str, add: Callable[..., Prepared]) -> Prepared:
    """Record a validated contribution form through `add(values, documents=...)`: its values (a
    work-experience or learn-work place is a hire of its block) and its documents, each checked by
    a real parser first and kept on disk only once the contribution is stored, so a refused
    submission leaves no file behind. A refusal raises ServiceError and changes nothing."""
    fields = form._fields.items()
    values = {name: field.data for name, field in fields
              if name != "csrf_token" and not name.startswith("document_")}  # fmt: skip
    values["kind"] = "hire" if kind == "placement" else kind
    checked = {name.removeprefix("document_"): evidence.check(field.data.read())
               for name, field in fields if name.startswith("document_") and field.data}  # fmt: skip
    prepared = add(values, documents={key: upload.name for key, upload in checked.items()})
    for upload in checked.values():
        evidence.keep(upload)
    return prepared


def recorded_message(obligation: Obligation, prepared: Prepared) -> str:
    """What the person who recorded a contribution is told it counts for: never "€ 0.00" for a
    figure nobody knows yet (a rule set still to be chosen, or a figure its source does not give)."""
    if waiting.is_waiting(obligation):
        return _(
            "Vastgelegd. De waarde is nog onbekend: deze verplichting wacht op regelset."
            " Zodra uw coördinator de regelset kiest, krijgt de bijdrage haar waarde."
        )
    unknown = [reason for reason in prepared.valuation.reasons if reason.code == "sroi.figure_unknown"]
    if unknown and not prepared.valuation.amount:
        return _("Vastgelegd. Wat deze bijdrage meetelt, is nog onbekend: %(why)s.", why=explain_all(unknown))
    amount = format_currency(prepared.valuation.amount, "EUR")
    return _("Vastgelegd: telt voor %(amount)s mee, na beoordeling door de coördinator.", amount=amount)
