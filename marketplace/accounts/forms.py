"""Forms (Flask-WTF: CSRF on every one). Messages are plain Dutch, translated like all text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from stdnum.nl import postcode as dutch_postcode
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.services.accounts import MIN_PASSWORD


def email_field(label: object, required: bool = True) -> EmailField:
    first = DataRequired(_l("Vul een e-mailadres in.")) if required else Optional()
    return EmailField(
        label, validators=[first, Email(_l("Dit is geen geldig e-mailadres.")), Length(max=254)]
    )


PHONE = Regexp(r"^\+?[0-9 ()-]{8,20}$", message=_l("Vul een telefoonnummer in, bijvoorbeeld 030 123 45 67."))


class RegisterForm(FlaskForm):
    name = StringField(_l("Uw naam"), validators=[DataRequired(_l("Vul uw naam in.")), Length(max=120)])
    email = email_field(_l("E-mailadres"))
    role = RadioField(
        _l("Ik gebruik Impactmarkt als"),
        choices=[
            SelectChoice("procurer", _l("inkoper bij een overheid")),
            SelectChoice("contractor", _l("opdrachtnemer met een social-return-verplichting")),
            SelectChoice("entrepreneur", _l("sociaal ondernemer")),
        ],
        validators=[DataRequired(_l("Kies hoe u Impactmarkt gebruikt."))],
    )
    public_body = StringField(
        _l("Organisatie (voor inkopers: uw overheid)"), validators=[Optional(), Length(max=160)]
    )
    password = PasswordField(
        _l("Wachtwoord (minstens 12 tekens)"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(min=MIN_PASSWORD, max=200, message=_l("Het wachtwoord moet minstens 12 tekens hebben.")),
        ],
    )
    password_again = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))],
    )


class EmailOnlyForm(FlaskForm):
    email = email_field(_l("E-mailadres"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord (minstens 12 tekens)"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD, max=200, message=_l("Het wachtwoord moet minstens 12 tekens hebben.")),
        ],
    )
    password_again = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))],
    )


class NameForm(FlaskForm):
    name = StringField(_l("Uw naam"), validators=[DataRequired(_l("Vul uw naam in.")), Length(max=120)])


class EmailChangeForm(FlaskForm):
    new_email = email_field(_l("Nieuw e-mailadres"))
    confirm_password = PasswordField(
        _l("Uw huidige wachtwoord, ter bevestiging"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=200)],
    )


class PasswordChangeForm(NewPasswordForm):
    current = PasswordField(
        _l("Uw huidige wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in.")), Length(max=200)],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Uw wachtwoord, ter bevestiging"), validators=[DataRequired(), Length(max=200)]
    )


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
    description = TextAreaField(_l("Korte omschrijving"), validators=[Optional(), Length(max=500)])
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


class PurchaseForm(FlaskForm):
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
    evidence = FileField(_l("Factuur als PDF of afbeelding (hoogstens 5 MB)"))


class HireForm(FlaskForm):
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


class ActivityForm(FlaskForm):
    hours = StringField(
        _l("Uren sociale activiteit"),
        validators=[DataRequired(_l("Vul het aantal uren in.")), Length(max=10)],
    )
