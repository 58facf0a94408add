"""Every Dutch text in the code and templates has an English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set[str]:
    method_map = [
        ("marketplace/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_has_an_english_translation() -> None:
    with (ROOT / "marketplace/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    missing = sorted(source_messages() - translated)
    assert missing == [], f"add English for: {missing}"


def test_templates_follow_the_locale_in_force_within_one_request(app) -> None:
    """Templates and Python keep the request's catalogue (marketplace.core.i18n); a mail worded in its
    recipient's language inside a Dutch request (force_locale) and a language change (refresh)
    must still get theirs."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext, lazy_gettext, refresh

    template = "{{ _('Organisaties') }} · {{ ngettext('%(num)s organisatie gevonden', '%(num)s organisaties gevonden', 2) }} · {{ current_language() }}"
    # Each request in an app context of its own, as when served (Flask-Babel keeps its state in g).
    with app.app_context(), app.test_request_context("/organisaties"):
        assert render_template_string(template) == "Organisaties · 2 organisaties gevonden · nl"
        assert gettext("Organisaties") == "Organisaties"
        with force_locale("en"):
            assert render_template_string(template) == "Organisations · 2 organisations found · en"
            assert gettext("Organisaties") == "Organisations" and str(lazy_gettext("Organisaties")) == "Organisations"
        assert render_template_string(template) == "Organisaties · 2 organisaties gevonden · nl"
        assert gettext("Organisaties") == "Organisaties"
    with app.app_context(), app.test_request_context("/organisaties?lang=en"):
        assert render_template_string(template) == "Organisations · 2 organisations found · en"
        with force_locale("nl"):
            assert render_template_string("{{ _('Organisaties') }}") == "Organisaties"
        refresh()
        assert render_template_string("{{ _('<b>%(x)s</b>', x='<i>') }}") == "<b>&lt;i&gt;</b>"
