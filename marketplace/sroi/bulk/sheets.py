"""What the spreadsheet holds: a sheet per kind of contribution, its columns (the keys of the
contribution's CLI/API shape, shown only by their header in the reader's language), and the
rule set's building blocks and supplements by their names in Dutch and English, both ways."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from matching.sroi import RuleSet
from matching.sroi.rulesets import name_of

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Column:
    key: str  # the value's name in the contribution's shape (never shown)
    header: object  # lazy text: the header in the reader's language
    cell: str  # text | date | amount | number | block | supplement
    required: bool = True


SHEETS: dict[str, tuple[object, tuple[Column, ...]]] = {
    "purchase": (_l("Inkoop"), (
        Column("supplier", _l("Leverancier (naam, KvK-nummer of adres op Impactmarkt)"), "text"),
        Column("invoice_number", _l("Factuurnummer"), "text"),
        Column("invoice_date", _l("Factuurdatum"), "date"),
        Column("amount_excl_vat", _l("Factuurbedrag excl. btw (euro)"), "amount"),
    )),
    "hire": (_l("Aanstellingen"), (
        Column("block", _l("Bouwblok"), "block"),
        Column("hours_per_week", _l("Uren per week"), "number"),
        Column("start", _l("In dienst vanaf"), "date"),
        Column("end", _l("Tot en met"), "date"),
        Column("supplements", _l("Toeslag (meerdere met ; ertussen)"), "supplement", required=False),
        Column("person_reference", _l("Uw eigen kenmerk voor deze persoon (geen naam of BSN)"), "text",
               required=False),
    )),
    "activity": (_l("Sociale activiteiten"), (
        Column("hours", _l("Uren sociale activiteit"), "number"),
    )),
}  # fmt: skip
LISTS_SHEET = _l("Keuzelijsten")


def in_both_languages(text: object) -> set[str]:
    """A lazy text as it reads in Dutch and in English, folded for comparing."""
    found = set()
    for language in LANGUAGES:
        with force_locale(language):
            found.add(fold(str(text)))
    return found


def fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def kind_of_sheet(title: str) -> str | None:
    """The kind a sheet holds, from its title in either language (a template downloaded in English
    may come back from a Dutch reader)."""
    for kind, (sheet_title, _columns) in SHEETS.items():
        if fold(title) in in_both_languages(sheet_title):
            return kind
    return None


def column_of_header(kind: str, header: object) -> Column | None:
    for column in SHEETS[kind][1]:
        if fold(str(header or "")) in in_both_languages(column.header):
            return column
    return None


def column(kind: str, key: str) -> Column | None:
    return next((c for c in SHEETS[kind][1] if c.key == key), None)


def block_names(rules: RuleSet, language: str) -> list[str]:
    """The rule set's hire blocks by name, in the rule set's order."""
    return [
        (getattr(block, language) or name_of("block", key, language)) for key, block in rules.hires.items()
    ]


def supplement_names(rules: RuleSet, language: str) -> list[str]:
    return [
        (getattr(item, language) or name_of("supplement", key, language))
        for key, item in rules.supplements.items()
    ]


def block_keys(rules: RuleSet) -> dict[str, str]:
    """Folded block name (Dutch or English) -> key."""
    found: dict[str, str] = {}
    for key, block in rules.hires.items():
        for language in LANGUAGES:
            found[fold(getattr(block, language) or name_of("block", key, language))] = key
    return found


def supplement_keys(rules: RuleSet) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, item in rules.supplements.items():
        for language in LANGUAGES:
            found[fold(getattr(item, language) or name_of("supplement", key, language))] = key
    return found
