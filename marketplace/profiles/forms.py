"""Forms for claiming a listed enterprise and completing its profile; the coordinator's claim decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from stdnum.nl import postcode as dutch_postcode
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.core.web.form_fields import PHONE, email_field


class ClaimByCodeForm(FlaskForm):
    email = email_field(_l("E-mailadres bij uw onderneming"))


class ClaimCodeForm(FlaskForm):
    code = StringField(
        _l("Code uit de e-mail"),
        validators=[
            DataRequired(_l("Vul de code in.")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("De code bestaat uit 6 cijfers.")),
        ],
    )


class ClaimReviewForm(FlaskForm):
    motivation = TextAreaField(
        _l("Waarom is dit uw onderneming?"),
        validators=[DataRequired(_l("Vertel kort waarom dit uw onderneming is.")), Length(max=2000)],
    )


class ClaimDecisionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden (de aanvrager ziet deze)"),
        validators=[DataRequired(_l("Geef een reden.")), Length(max=1000)],
    )


def postcode_check(_form: FlaskForm, field: StringField) -> None:
    if field.data and not dutch_postcode.is_valid(field.data):
        raise ValidationError(_l("Vul een Nederlandse postcode in, bijvoorbeeld 3511 AB."))


class ProfileForm(FlaskForm):
    description = TextAreaField(_l("Over uw onderneming"), validators=[Optional(), Length(max=5000)])
    target_groups = TextAreaField(
        _l("Met wie werkt u? (doelgroepen)"), validators=[Optional(), Length(max=1000)]
    )
    impact_statement = TextAreaField(
        _l("Uw maatschappelijke impact"), validators=[Optional(), Length(max=2000)]
    )
    contact_name = StringField(_l("Contactpersoon"), validators=[Optional(), Length(max=120)])
    contact_email = email_field(_l("E-mailadres voor vragen"), required=False)
    contact_phone = StringField(_l("Telefoonnummer"), validators=[Optional(), PHONE])
    contact_postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=7), postcode_check])
    # Check boxes, not a multiple select: nobody should need Ctrl-click.
    regions_served = SelectMultipleField(
        _l("Regio's waar u levert"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class OfferingForm(FlaskForm):
    cpv_code = SelectField(_l("Categorie"), validators=[DataRequired(_l("Kies een categorie."))])
    title = StringField(
        _l("Product of dienst"), validators=[DataRequired(_l("Geef uw aanbod een naam.")), Length(max=120)]
    )
    # Its own id: the profile form on the same page has a "description" too (ids are unique per page).
    description = TextAreaField(
        _l("Korte omschrijving"), validators=[Optional(), Length(max=500)], id="offering-description"
    )
    price_indication = StringField(_l("Prijsindicatie (mag leeg)"), validators=[Optional(), Length(max=120)])


class ImageForm(FlaskForm):
    kind = SelectField(
        _l("Soort"), choices=[SelectChoice("logo", _l("Logo")), SelectChoice("photo", _l("Foto"))]
    )
    image = FileField(
        _l("Afbeelding (PNG, JPEG, GIF of WebP, maximaal 2 MB)"),
        validators=[FileRequired(_l("Kies een bestand."))],
    )
    alt_text = StringField(
        _l("Wat staat erop? (voor wie de afbeelding niet ziet)"),
        validators=[DataRequired(_l("Beschrijf kort wat er op de afbeelding staat.")), Length(max=200)],
    )
