"""The scan's keys in words, in the reader's language: a label and level ("pso:30+") by its register's
name, a distance band by its kilometres. Pages, exports and the PDF all name them here."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from marketplace.core.reasons import show_date
from marketplace.organisations.labels import REGISTER_SHORT_NAMES


def bucket_name(key: str) -> str:
    register, _sep, level = key.partition(":")
    return f"{REGISTER_SHORT_NAMES.get(register, register)} {level}".strip()


def band_name(key: str) -> str:
    names = {
        "within_25": _("binnen 25 km"),
        "within_50": _("binnen 50 km"),
        "within_100": _("binnen 100 km"),
        "beyond_100": _("verder dan 100 km"),
        "unknown": _("plaats onbekend"),
    }
    return names.get(key, key)


def count_name(key: str) -> str:
    """A count compared between two runs, by name."""
    if key == "within_radius":
        return _("binnen de straal")
    if key == "pso30_within_radius":
        return _("PSO 30+ binnen de straal")
    return band_name(key) if key.startswith(("within_", "beyond_", "unknown")) else bucket_name(key)


def label_text(label: dict[str, Any]) -> str:
    """ "PSO Trede 2 · PSO 30+, geldig tot 01-01-2027 (eindigt binnen het contract)"."""
    text = bucket_name(f"{label['register']}:{label['level'] or ''}")
    if label.get("pso30plus"):
        text += " · PSO 30+"
    if label.get("state") == "grace":
        text += " (" + _("herbevestiging loopt") + ")"
    if label.get("valid_until"):
        text += ", " + _("geldig tot %(day)s", day=show_date(_day(label["valid_until"])))
    if label.get("ends_within_contract"):
        text += " " + _("(eindigt binnen het contract)")
    return text


def _day(value: str) -> date:
    return date.fromisoformat(value)


def question_lines(question: dict[str, Any]) -> list[tuple[str, str]]:
    """The question as (what, answer) pairs, for exports and the PDF."""
    return [
        (_("Wat u zoekt"), question["need"] or "-"),
        (_("CPV-codes"), ", ".join(question["cpv"]) or "-"),
        (_("Plaats van levering"), question["place"]),
        (_("Straal"), f"{question['radius_km']} km"),
        (_("Contractperiode"), period(question)),
        (_("Drempel voor concurrentie"), str(question["threshold"])),
    ]


def period(question: dict[str, Any]) -> str:
    return f"{show_date(_day(question['starts_on']))} – {show_date(_day(question['ends_on']))}"
