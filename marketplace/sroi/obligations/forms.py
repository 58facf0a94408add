"""Forms for SROI obligations and what contractors record against them: purchases, hires, activities."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

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

from marketplace.core.web.form_rules import DayRule, DecimalRule, Rule
from marketplace.sroi.obligations import services

# The rules the service applies, checked on the form too: the message stands beside the field.
# Amounts in euros as the service reads them (12000, 12.000,50), above zero, in whole cents.
AMOUNT = {key: Rule(lambda found, key=key: services.money(found, key))
          for key in ("contract_value_excl_vat", "amount_excl_vat")}  # fmt: skip
# Numeric(5, 2): above 0 and at most 100, two decimals.
PERCENTAGE = DecimalRule("percentage", 2, Decimal(0), Decimal(100), above_minimum=True)
# Numeric with two decimals, above zero: at most 60 hours a week for a hire, 10,000 for an activity.
HOURS_PER_WEEK = Rule(lambda found: services.hours(found, 60))
ACTIVITY_HOURS = Rule(lambda found: services.hours(found, 10000))


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
        validators=[
            DataRequired(_l("Vul de opdrachtwaarde in.")), Length(max=30), AMOUNT["contract_value_excl_vat"]
        ],
    )
    percentage = StringField(
        _l("Percentage social return (leeg: volgens de regelset van de regio)"),
        validators=[Optional(), Length(max=10), PERCENTAGE],
    )
    starts_on = DateField(
        _l("Begindatum"),
        validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02.")), DayRule("starts_on")],
    )
    ends_on = DateField(
        _l("Einddatum"),
        validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02.")), DayRule("ends_on")],
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
        _l("Factuurdatum"),
        validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02.")), DayRule("invoice_date")],
    )
    amount_excl_vat = StringField(
        _l("Factuurbedrag excl. btw (euro)"),
        validators=[DataRequired(_l("Vul het bedrag in.")), Length(max=30), AMOUNT["amount_excl_vat"]],
    )
    senl_member_since = DateField(
        _l("Lid van Social Enterprise NL sinds (alleen invullen met bewijs)"),
        validators=[Optional()],
        id="purchase-senl-member-since",
    )


class HireForm(FlaskForm):
    replaces = HiddenField(id="hire-replaces")  # the rejected contribution this one replaces, if any
    block = SelectField(_l("Bouwblok"), validators=[DataRequired(_l("Kies een bouwblok."))])
    hours_per_week = StringField(
        _l("Uren per week"),
        validators=[DataRequired(_l("Vul het aantal uren in.")), Length(max=10), HOURS_PER_WEEK],
    )
    start = DateField(
        _l("In dienst vanaf"),
        validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02.")), DayRule("start")],
    )
    end = DateField(
        _l("Tot en met"),
        validators=[DataRequired(_l("Vul een datum in, bijvoorbeeld 2026-05-02.")), DayRule("end")],
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


class PlacementForm(HireForm):
    """A work-experience or learn-work place: the hire form's fields under the prefix `placement`
    (both forms are on one page), with the blocks that are such a place."""

    replaces = HiddenField(id="placement-replaces")


class ActivityForm(FlaskForm):
    replaces = HiddenField(id="activity-replaces")  # the rejected contribution this one replaces, if any
    hours = StringField(
        _l("Uren sociale activiteit"),
        validators=[DataRequired(_l("Vul het aantal uren in.")), Length(max=10), ACTIVITY_HOURS],
    )


def with_documents(form_class: type[FlaskForm], fields: dict[str, tuple[str, str]], **kwargs: Any) -> Any:
    """A form of `form_class` with one upload field per document asked: name -> (label, id)."""
    uploads = {name: FileField(label, id=field_id) for name, (label, field_id) in fields.items()}
    return type(form_class.__name__, (form_class,), uploads)(**kwargs)


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Uw antwoord"), validators=[Optional(), Length(max=2000)]
    )
    evidence = FileField(_l("Bestand erbij (PDF of afbeelding, hoogstens 5 MB)"))
