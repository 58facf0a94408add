"""Accounts: register with e-mail confirmation, sign in and out, reset a password, delete an account."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from marketplace.accounts import services as accounts
from marketplace.accounts.forms import DeleteAccountForm, EmailOnlyForm, NewPasswordForm, RegisterForm
from marketplace.accounts.models import User
from marketplace.core import mail, tokens
from marketplace.core.extensions import db, login_manager
from marketplace.core.i18n import current_language
from marketplace.core.web import input_schema
from marketplace.core.web.access import is_same_site_path, next_or_start
from marketplace.core.web.limits import LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS, limiter, submitted_account
from marketplace.core.web.links import public_url_for
from marketplace.privacy import accounts as privacy_accounts

bp = Blueprint("auth", __name__)
CLAIM_PATH = "/ondernemer/claim/"
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in om deze pagina te bekijken.")


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session names the account and its session version; an older version (before a logout
    or a password change) or an id without one signs nobody in."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.deleted_at is not None or user.session_version != int(version):
        return None
    return user


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(LOGIN_PER_ADDRESS, methods=["POST"])
@limiter.limit(LOGIN_PER_ACCOUNT, methods=["POST"], key_func=submitted_account)
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None and user.confirmed_at is None:
            flash(_("Bevestig eerst uw e-mailadres met de link in de e-mail die wij u stuurden."), "error")
        elif user is not None:
            login_user(user)
            return redirect(next_or_start(input_schema.query().get("next"), user))
        else:
            flash(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."), "error")
    return render_template("accounts/login.html", form=form)


@bp.post("/uitloggen")
@login_required
def logout() -> Response:
    accounts.end_sessions(current_user._get_current_object())
    logout_user()
    return redirect(url_for("public.home"))


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register() -> str | Response:
    # Come from a claim page? Confirming the address brings the entrepreneur back there.
    wanted = input_schema.query().get("next") or ""
    next_page = wanted if len(wanted) <= 2000 and is_same_site_path(wanted) else None
    form = RegisterForm()
    if request.method == "GET" and next_page and next_page.startswith(CLAIM_PATH):
        form.role.data = "entrepreneur"
    if form.validate_on_submit():
        try:
            user = accounts.register(
                form.email.data or "",
                form.password.data or "",
                form.name.data or "",
                form.role.data or "",
                form.public_body.data,
                current_language(),
            )
        except accounts.AccountError as error:
            flash(str(error), "error")
            return render_template("accounts/register.html", form=form)
        email = (form.email.data or "").strip()
        if user is None:
            mail.send(
                email,
                _("Uw account op Impactmarkt"),
                _(
                    "Iemand wilde een account maken met dit e-mailadres, maar dat bestaat al. "
                    "Wachtwoord vergeten? Vraag een nieuw wachtwoord aan op %(url)s",
                    url=public_url_for("auth.forgot_password"),
                ),
            )
        else:
            extra = {"next": next_page} if next_page else {}
            link = public_url_for("auth.confirm", token=tokens.make("confirm", user.id, **extra))
            mail.send(
                email,
                _("Bevestig uw e-mailadres voor Impactmarkt"),
                _("Welkom bij Impactmarkt. Bevestig uw e-mailadres met deze link:\n%(link)s", link=link),
            )
        return render_template("accounts/check_mail.html", email=email)
    return render_template("accounts/register.html", form=form)


@bp.get("/bevestigen/<token>")
def confirm(token: str) -> Response:
    data = tokens.read("confirm", token, tokens.CONFIRM_SECONDS)
    user = db.session.get(User, data["user"]) if data else None
    if user is None or user.deleted_at is not None:
        flash(_("Deze link werkt niet (meer). Registreer opnieuw of log in."), "error")
        return redirect(url_for("auth.login"))
    accounts.confirm(user)
    login_user(user)
    flash(_("Uw e-mailadres is bevestigd. Welkom!"), "success")
    return redirect(next_or_start(data.get("next"), user))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def forgot_password() -> str:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data or "")
        if user is not None and user.deleted_at is None:
            token = tokens.make("reset", user.id, user.password_hash)
            link = public_url_for("auth.reset_password", token=token)
            mail.send(
                user.email,
                _("Nieuw wachtwoord voor Impactmarkt"),
                _("Kies een nieuw wachtwoord met deze link (twee uur geldig):\n%(link)s", link=link),
            )
        return render_template("accounts/check_mail.html", email=(form.email.data or "").strip())
    return render_template("accounts/forgot.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str) -> str | Response:
    data = tokens.read("reset", token, tokens.RESET_SECONDS)
    user = db.session.get(User, data["user"]) if data else None
    if user is None or data["pw"] != tokens.fingerprint(user.password_hash):
        flash(_("Deze link werkt niet (meer). Vraag een nieuwe aan."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data or "")
        if user.confirmed_at is None:
            accounts.confirm(user)
        flash(_("Uw wachtwoord is gewijzigd. U kunt nu inloggen."), "success")
        return redirect(url_for("auth.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@login_required
def delete_account() -> str | Response:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if accounts.authenticate(current_user.email, form.password.data or "") is None:
            flash(_("Dit wachtwoord klopt niet. Er is niets verwijderd."), "error")
        else:
            privacy_accounts.delete_account(current_user._get_current_object())
            logout_user()
            flash(_("Uw account en persoonsgegevens zijn verwijderd."), "success")
            return redirect(url_for("public.home"))
    return render_template("accounts/delete.html", form=form)
