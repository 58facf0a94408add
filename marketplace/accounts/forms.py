"""Account forms (Flask-WTF: CSRF on every one): sign up, sign in, passwords, name and e-mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    PasswordField,
    RadioField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from marketplace.accounts.services import MIN_PASSWORD
from marketplace.core.web.form_fields import email_field


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
