"""Forms of the chain: inviting a subcontractor. A subcontractor fills in the main contractor's own
contribution forms (marketplace.sroi.obligations.contribution_forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from marketplace.core.web.form_fields import email_field


class InviteForm(FlaskForm):
    email = email_field(_l("E-mailadres van de onderaannemer"))
    company = StringField(_l("Naam van het bedrijf (mag leeg)"), validators=[Optional(), Length(max=200)])
