"""The upload form of a filled template (the page's, with CSRF; the API's, without: it reads only
a signed-in session's multipart post, and SameSite=Lax keeps other sites' posts out)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("Ingevuld sjabloon (.xlsx, hoogstens 2 MB)"),
        validators=[FileRequired(_l("Kies het ingevulde Excel-bestand."))],
    )


class ApiUploadForm(UploadForm):
    class Meta:
        csrf = False
