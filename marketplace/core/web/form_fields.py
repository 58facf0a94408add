"""Form fields several features share: an e-mail address and a Dutch phone number, worded once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp


def email_field(label: object, required: bool = True) -> EmailField:
    first = DataRequired(_l("Vul een e-mailadres in.")) if required else Optional()
    return EmailField(
        label, validators=[first, Email(_l("Dit is geen geldig e-mailadres.")), Length(max=254)]
    )


PHONE = Regexp(r"^\+?[0-9 ()-]{8,20}$", message=_l("Vul een telefoonnummer in, bijvoorbeeld 030 123 45 67."))


