"""Form fields several features share: an e-mail address and a Dutch phone number, worded once."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import EmailField, Field
from wtforms.csrf.core import CSRFTokenField
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp


def email_field(label: object, required: bool = True) -> EmailField:
    first = DataRequired(_l("Vul een e-mailadres in.")) if required else Optional()
    return EmailField(
        label, validators=[first, Email(_l("Dit is geen geldig e-mailadres.")), Length(max=254)]
    )


PHONE = Regexp(r"^\+?[0-9 ()-]{8,20}$", message=_l("Vul een telefoonnummer in, bijvoorbeeld 030 123 45 67."))




def _render_field(meta: DefaultMeta, field: Field, render_kw: dict[str, Any]) -> Markup:
    """Every form's hidden CSRF token without an id: a page with several forms repeated
    id="csrf_token" (18 times on the ranking page), a WCAG 4.1.1 failure; nothing refers to it."""
    if isinstance(field, CSRFTokenField):
        render_kw = {**render_kw, "id": False}
    return DefaultMeta.render_field(meta, field, render_kw)


def drop_csrf_ids() -> None:
    """Installed once by the app factory, for every FlaskForm (their Meta classes derive from this one)."""
    FlaskForm.Meta.render_field = _render_field  # type: ignore[method-assign]
