"""Name normalisation for comparing enterprises across registers.

"Stichting De Kans", "De Kans B.V." and "DE KANS" are one name written three ways: the
core name drops legal forms, case, diacritics, entities and punctuation, and writes "&"
as "en", so the comparison is about the name itself.
"""

from __future__ import annotations

import re

from matching.text import fold

# Legal forms as whole tokens after dots are removed ("B.V." -> "bv", "U.A." -> "ua").
LEGAL_FORM_TOKENS = {
    "bv": "B.V.", "nv": "N.V.", "vof": "V.O.F.", "cv": "C.V.", "ua": "U.A.", "wa": "W.A.", "ba": "B.A.",
    "stichting": "Stichting", "stg": "Stichting", "cooperatie": "Coöperatie", "cooperatieve": "Coöperatie",
    "vereniging": "Vereniging", "maatschap": "Maatschap", "eenmanszaak": "Eenmanszaak", "holding": "Holding",
    "io": "i.o.", "ltd": "Ltd", "gmbh": "GmbH",
}  # fmt: skip
# Abbreviations that are a legal form only at the start: "St. Klei & Ruimte".
LEADING_ONLY = {"st": "Stichting"}
_DOTTED_LEGAL_FORM = re.compile(r"\b([a-z])\.\s?([a-z])\.(?:\s?([a-z])\.)?")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def name_tokens(name: str | None) -> list[str]:
    """Folded tokens: 'Coöperatie Brood & Zin U.A.' -> ['cooperatie', 'brood', 'en', 'zin', 'ua']."""
    text = fold(name).replace("&", " en ").replace("+", " en ")
    text = _DOTTED_LEGAL_FORM.sub(lambda m: "".join(g for g in m.groups() if g) + " ", text)
    text = text.replace(".", " ")
    text = _PUNCTUATION.sub(" ", text)
    return _SPACES.sub(" ", text).strip().split()


def core_name(name: str | None) -> str:
    """The name without legal forms: 'Stichting De Kans B.V.' -> 'de kans'."""
    tokens = name_tokens(name)
    if tokens and tokens[0] in LEADING_ONLY and len(tokens) > 1:
        tokens = tokens[1:]
    kept = [token for token in tokens if token not in LEGAL_FORM_TOKENS]
    return " ".join(kept) if kept else " ".join(tokens)


def legal_form_in_name(name: str | None) -> str | None:
    """The legal form a name carries, if any: 'Fietsstek bv' -> 'B.V.'."""
    tokens = name_tokens(name)
    if tokens and tokens[0] in LEADING_ONLY and len(tokens) > 1:
        return LEADING_ONLY[tokens[0]]
    return next((LEGAL_FORM_TOKENS[token] for token in tokens if token in LEGAL_FORM_TOKENS), None)


# A leading article is part of how a name is written, not of which enterprise it is:
# "De Groene Vlinder" and "Groene Vlinder B.V." are one name.
LEADING_ARTICLES = {"de", "het", "t", "the", "een"}


def without_article(core: str) -> str:
    """The core name without a leading article, when words remain: 'de groene vlinder' -> 'groene vlinder'."""
    words = core.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in LEADING_ARTICLES else core
