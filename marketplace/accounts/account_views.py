"""Mijn account: see and change one's name, e-mail address (confirmed again) and password, see
one's roles, download one's data, and the way to delete the account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from marketplace.accounts import services as accounts
from marketplace.accounts.forms import EmailChangeForm, NameForm, PasswordChangeForm
from marketplace.accounts.models import User
from marketplace.core import mail, tokens
from marketplace.core.web.links import public_url_for
from marketplace.privacy.personal_data import personal_data

bp = Blueprint("account", __name__)
EMAIL_CHANGE_SECONDS = 24 * 3600


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _page(
    name_form: NameForm | None = None,
    email_form: EmailChangeForm | None = None,
    password_form: PasswordChangeForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    user = _me()
    return render_template(
        "accounts/account.html",
        user=user,
        name_form=name_form or NameForm(data={"name": user.display_name}),
        email_form=email_form or EmailChangeForm(),
        password_form=password_form or PasswordChangeForm(),
    ), status


@bp.get("/account")
@login_required
def overview() -> tuple[str, int]:
    return _page()


@bp.post("/account/naam")
@login_required
def change_name() -> tuple[str, int] | Response:
    form = NameForm()
    if not form.validate_on_submit():
        return _page(name_form=form, status=400)
    accounts.change_name(_me(), form.name.data or "")
    flash(_("Uw naam is gewijzigd."), "success")
    return redirect(url_for("account.overview"))


@bp.post("/account/e-mail")
@login_required
def change_email() -> tuple[str, int] | Response:
    form = EmailChangeForm()
    if not form.validate_on_submit():
        return _page(email_form=form, status=400)
    new_email = (form.new_email.data or "").strip()
    try:
        accounts.check_email_change(_me(), new_email, form.confirm_password.data or "")
    except accounts.AccountError as error:
        form.confirm_password.errors = [str(error)]
        return _page(email_form=form, status=400)
    link = public_url_for("account.confirm_email", token=tokens.make("email", _me().id, email=new_email))
    mail.send(
        new_email,
        _("Bevestig uw nieuwe e-mailadres voor Impactmarkt"),
        _(
            "Bevestig dat u voortaan dit e-mailadres gebruikt voor Impactmarkt (24 uur geldig):\n%(link)s",
            link=link,
        ),
    )
    flash(
        _(
            "Wij stuurden een link naar %(email)s. Uw e-mailadres verandert pas als u die opent.",
            email=new_email,
        ),
        "success",
    )
    return redirect(url_for("account.overview"))


@bp.get("/account/e-mail/<token>")
@login_required
def confirm_email(token: str) -> Response:
    data = tokens.read("email", token, EMAIL_CHANGE_SECONDS)
    user = _me()
    if data is None or data["user"] != user.id or not isinstance(data.get("email"), str):
        flash(_("Deze link werkt niet (meer). Vraag de wijziging opnieuw aan."), "error")
        return redirect(url_for("account.overview"))
    old_email = user.email
    if not accounts.apply_email_change(user, data["email"]):
        flash(_("Dit e-mailadres hoort inmiddels bij een ander account. Er is niets gewijzigd."), "error")
        return redirect(url_for("account.overview"))
    mail.send(
        old_email,
        _("Uw e-mailadres voor Impactmarkt is gewijzigd"),
        _(
            "Uw account gebruikt voortaan %(email)s. Deed u dit niet? Neem dan contact met ons op.",
            email=user.email,
        ),
    )
    flash(_("Uw nieuwe e-mailadres is bevestigd."), "success")
    return redirect(url_for("account.overview"))


@bp.post("/account/wachtwoord")
@login_required
def change_password() -> tuple[str, int] | Response:
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(password_form=form, status=400)
    try:
        accounts.change_password(_me(), form.current.data or "", form.password.data or "")
    except accounts.AccountError as error:
        form.current.errors = [str(error)]
        return _page(password_form=form, status=400)
    login_user(_me())  # this session carries on under the new session version; all others end
    flash(_("Uw wachtwoord is gewijzigd."), "success")
    return redirect(url_for("account.overview"))


@bp.get("/account/mijn-gegevens.json")
@login_required
def download_data() -> Response:
    body = json.dumps(personal_data(_me()), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="impactmarkt-mijn-gegevens.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
