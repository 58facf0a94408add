"""Forms of the chain: inviting a subcontractor, and the contribution forms a subcontractor fills
in (the same forms as the main contractor's, with the rule set's blocks by their names)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from marketplace.core.reasons import block_name, supplement_name
from marketplace.core.web.form_fields import email_field
from marketplace.sroi.obligations.forms import ActivityForm, HireForm, PurchaseForm
from matching.sroi import RuleSet


class InviteForm(FlaskForm):
    email = email_field(_l("E-mailadres van de onderaannemer"))
    company = StringField(_l("Naam van het bedrijf (mag leeg)"), validators=[Optional(), Length(max=200)])


def contribution_forms(rules: RuleSet) -> dict[str, object]:
    """The purchase, hire and activity forms, with the blocks and supplements of `rules` by name."""
    english = str(get_locale() or "nl").startswith("en")
    hire = HireForm()
    hire.block.choices = [
        SelectChoice(key, (block.en if english else block.nl) or block_name(key))
        for key, block in rules.hires.items()
    ]
    hire.supplements.choices = [
        SelectChoice(key, (item.en if english else item.nl) or supplement_name(key))
        for key, item in rules.supplements.items()
    ]
    return {"purchase": PurchaseForm(), "hire": hire, "activity": ActivityForm(), "rules": rules}
