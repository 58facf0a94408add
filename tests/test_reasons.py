"""Reasons are data: every registered code has Dutch and English words, and the words follow
the reader's language."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from marketplace.core.reasons import TEXTS, explain
from marketplace.profiles.claims import ClaimError
from matching.reasons import CODES, Reason
from tests.test_translations import ROOT


def test_every_reason_code_has_dutch_and_english_words() -> None:
    assert set(TEXTS) == set(CODES), "every code in matching.reasons needs words in marketplace.core.reasons"
    with (ROOT / "marketplace/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        english = {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}
    missing = [code for code, text in TEXTS.items() if text._args[0] not in english]
    assert missing == [], f"add English for these reason codes: {missing}"
    for code, text in TEXTS.items():
        wanted = set(re.findall(r"%\((\w+)\)s", text._args[0]))
        assert set(re.findall(r"%\((\w+)\)s", english[text._args[0]])) == wanted, code


def test_an_unregistered_code_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        Reason("resolution.made_up")


def test_reasons_are_worded_in_the_readers_language(app) -> None:
    reason = Reason("resolution.place_different", {"left": "Den Haag", "right": "Zwolle"}, -4.0)
    stored = reason.to_json()
    assert Reason.from_json(stored) == reason
    with app.test_request_context(), force_locale("nl"):
        assert explain(stored) == "andere plaats (Den Haag / Zwolle)"
    with app.test_request_context(), force_locale("en"):
        assert explain(stored) == "different places (Den Haag / Zwolle)"
        assert str(ClaimError("claim.wrong_domain", domain="deuil.nl")) == "Use an e-mail address that ends in @deuil.nl."


def test_a_reason_stored_as_words_before_reasons_were_data_keeps_its_words(app) -> None:
    with app.test_request_context():
        assert explain("naam 93% gelijk") == "naam 93% gelijk"
