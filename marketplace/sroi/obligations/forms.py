"""Forms for SROI obligations and what contractors record against them: purchases, hires, activities."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class ObligationForm(FlaskForm):
    """An SROI obligation; the service checks every value and says what is wrong."""

    title = StringField(
        _l("Naam van de opdracht"),
        validators=[DataRequired(_l("Vul de naam van de opdracht in.")), Length(max=200)],
    )
    contracting_authority = StringField(
        _l("Opdrachtgever"), validators=[DataRequired(_l("Vul de opdrachtgever in.")), Length(max=200)]
    )
    contract_reference = StringField(_l("Kenmerk van het contract"), validators=[Optional(), Length(max=100)])
    contract_value_excl_vat = StringField(
        _l("Opdrachtwaarde excl. btw (euro)"),
        validators=[DataRequired(_l("Vul de opdrachtwaarde in.")), Length(max=30)],
    )
    percentage = StringField(
        _l("Percentage social return (leeg: volgens de regelset van de regio)"),
        validators=[Optional(), Length(max=10)],
    )
    starts_on = DateField(
        _l("Begindatum"), validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02."))]
    )
    ends_on = DateField(
        _l("Einddatum"), validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02."))]
    )
    region = SelectField(
        _l("Arbeidsmarktregio van de opdracht"), validators=[DataRequired(_l("Kies een regio."))]
    )
    needs = TextAreaField(
        _l("Wat wilt u inkopen bij sociale ondernemingen?"), validators=[Optional(), Length(max=2000)]
    )
    cpv = StringField(_l("CPV-codes (met spaties ertussen)"), validators=[Optional(), Length(max=200)])
    # One token per form shown: sending the same form twice registers one obligation.
    submission = HiddenField(default=lambda: uuid.uuid4().hex, validators=[Optional(), Length(max=64)])


class PurchaseForm(FlaskForm):
    replaces = HiddenField(id="purchase-replaces")  # the rejected contribution this one replaces, if any
    supplier = StringField(
        _l("Leverancier (naam op Impactmarkt of KvK-nummer)"),
        validators=[DataRequired(_l("Vul de leverancier in.")), Length(max=160)],
    )
    invoice_number = StringField(
        _l("Factuurnummer"), validators=[DataRequired(_l("Vul het factuurnummer in.")), Length(max=80)]
    )
    invoice_date = DateField(
        _l("Factuurdatum"), validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02."))]
    )
    amount_excl_vat = StringField(
        _l("Factuurbedrag excl. btw (euro)"),
        validators=[DataRequired(_l("Vul het bedrag in.")), Length(max=30)],
    )
    senl_member_since = DateField(
        _l("Lid van Social Enterprise NL sinds (alleen invullen met bewijs)"),
        validators=[Optional()],
        id="purchase-senl-member-since",
    )
    evidence = FileField(_l("Factuur als PDF of afbeelding (hoogstens 5 MB)"), id="purchase-evidence")


class HireForm(FlaskForm):
    replaces = HiddenField(id="hire-replaces")  # the rejected contribution this one replaces, if any
    block = SelectField(_l("Bouwblok"), validators=[DataRequired(_l("Kies een bouwblok."))])
    hours_per_week = StringField(
        _l("Uren per week"), validators=[DataRequired(_l("Vul het aantal uren in.")), Length(max=10)]
    )
    start = DateField(
        _l("In dienst vanaf"), validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02."))]
    )
    end = DateField(
        _l("Tot en met"), validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02."))]
    )
    # Check boxes, not a multiple select: nobody should need Ctrl-click.
    supplements = SelectMultipleField(
        _l("Toeslagen"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    person_reference = StringField(
        _l("Uw eigen kenmerk voor deze persoon (geen naam of BSN)"),
        validators=[Optional(), Length(max=60)],
    )
    evidence = FileField(
        _l(
            "Doelgroepverklaring en arbeidscontract of plaatsingsovereenkomst,"
            " in één PDF of afbeelding (hoogstens 5 MB)"
        ),
        id="hire-evidence",
    )


class ActivityForm(FlaskForm):
    replaces = HiddenField(id="activity-replaces")  # the rejected contribution this one replaces, if any
    hours = StringField(
        _l("Uren sociale activiteit"),
        validators=[DataRequired(_l("Vul het aantal uren in.")), Length(max=10)],
    )
    evidence = FileField(
        _l("Kort verslag of foto als PDF of afbeelding (hoogstens 5 MB)"), id="activity-evidence"
    )


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Uw antwoord"), validators=[Optional(), Length(max=2000)]
    )
    evidence = FileField(_l("Bestand erbij (PDF of afbeelding, hoogstens 5 MB)"))
