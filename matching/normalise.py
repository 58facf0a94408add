"""Normalisers for register facts: KvK numbers, websites, dates as Dutch registers write them."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from matching.text import clean, fold

_DIGIT_RUN = re.compile(r"\d[\d .\-]*\d")
DUTCH_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_LONG_DATE = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\s+(\d{4})$")


def kvk_numbers(text: str | None) -> list[str]:
    """Every KvK number in a text, as 8 digits: '7154 5645' and '71.54.56.45' -> '71545645'.

    Numbers may stand side by side ('86037999 37784273'), so digit groups are joined only
    until they make 8 digits. Older 7-digit numbers get their leading zero back.
    """
    found: list[str] = []
    for run in _DIGIT_RUN.findall(text or ""):
        pending = ""
        for group in re.split(r"[\s.\-]+", run):
            pending += group
            if len(pending) == 8:
                found.append(pending)
                pending = ""
            elif len(pending) > 8:
                pending = ""
        if len(pending) == 7:
            found.append("0" + pending)
    return list(dict.fromkeys(found))


def website(url: str | None) -> str | None:
    """A website as one canonical URL: scheme https, lower-case host, no trailing slash or fragment."""
    raw = clean(url)
    if not raw:
        return None
    if "://" not in raw:
        raw = "https://" + raw.lstrip("/")
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower().rstrip(".")
    if "." not in host:
        return None
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


def website_domain(url: str | None) -> str | None:
    """The registrable part of a website's host: 'https://www.brood-zin.nl/x' -> 'brood-zin.nl'."""
    canonical = website(url)
    if canonical is None:
        return None
    host = urlsplit(canonical).hostname or ""
    labels = host.split(".")
    # Dutch and most European sites: the last two labels. Known two-part suffixes keep three.
    if len(labels) >= 3 and ".".join(labels[-2:]) in {"co.uk", "org.uk", "com.au"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def dutch_date(text: str | None) -> date | None:
    """'31-03-2026', '12 maart 2021' -> a date; 'maart 2027' -> the first of that month."""
    value = fold(text)
    if not value:
        return None
    try:
        if match := _NUMERIC_DATE.match(value):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if (match := _LONG_DATE.match(value)) and match.group(2) in DUTCH_MONTHS:
            return date(int(match.group(3)), DUTCH_MONTHS[match.group(2)], int(match.group(1)))
        if (match := _MONTH_YEAR.match(value)) and match.group(1) in DUTCH_MONTHS:
            return date(int(match.group(2)), DUTCH_MONTHS[match.group(1)], 1)
    except ValueError:
        return None
    return None


def yes_no(text: str | None) -> bool:
    return fold(text) in {"ja", "yes", "true", "1"}
