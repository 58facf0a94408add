"""The rules every value from outside passes, whichever way it came in (a page's form, the API's
JSON, a query string, a command's JSON file): one place, so the three cannot disagree.

Each rule returns the clean value or raises `BadValue` with a reason code and parameters; the
caller words it in the reader's language (marketplace.core.reasons). Nothing here knows Flask.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marketplace.core.refusals import ServiceError

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
MAX_JSON_DEPTH = 32
MAX_WHOLE = 2**31 - 1
# NUL, the C0 controls but tab, line feed and carriage return, DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


class BadValue(ServiceError):
    """A value from outside that breaks a rule; str() words it in the reader's language."""


def text_problem(value: str, one_line: bool = False) -> str | None:
    """Why a string cannot be taken (a reason code), or None."""
    if "\x00" in value:
        return "input.nul"
    if _SURROGATE.search(value):
        return "input.surrogate"
    if (_CONTROL_ONE_LINE if one_line else _CONTROL).search(value):
        return "input.control"
    return None


def clean_text(value: Any, field: str, limit: int = 2000, one_line: bool = False) -> str:
    found = "" if value is None else value
    if not isinstance(found, str):
        raise BadValue("input.not_text", field=field)
    problem = text_problem(found, one_line)
    if problem:
        raise BadValue(problem, field=field)
    if len(found) > limit:
        raise BadValue("input.too_long", field=field, limit=limit)
    return found


def whole(value: Any, field: str, minimum: int = 0, maximum: int = MAX_WHOLE) -> int:
    """A whole number in ASCII digits ("²" and "١" are digits to str.isdigit(), not to us)."""
    if isinstance(value, bool):
        raise BadValue("input.not_whole", field=field)
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not _ASCII_DIGITS.fullmatch(text):
            raise BadValue("input.not_whole", field=field)
        number = int(text)
    if not minimum <= number <= maximum:
        raise BadValue("input.out_of_range", field=field, minimum=minimum, maximum=maximum)
    return number


def day(value: Any, field: str) -> date:
    """A date between 1900 and 2100: later ones overflow date arithmetic (9999-12-31 + 1 day)."""
    if isinstance(value, date):
        found = value
    else:
        text = str(value if value is not None else "").strip()
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise BadValue("input.not_a_date", field=field)
        try:
            found = date.fromisoformat(text)
        except ValueError:
            raise BadValue("input.not_a_date", field=field) from None
    if not FIRST_DAY <= found <= LAST_DAY:
        raise BadValue("input.date_out_of_range", field=field, first=FIRST_DAY.year, last=LAST_DAY.year)
    return found


def plain_amount(text: str, language: str) -> str:
    """An amount as people type it, with the decimal point only: "12.000,50" (Dutch) and "12,000.50"
    (English) are both 12000.50. With both marks the last one is the decimal mark; groups of three
    after several marks ("1.000.000", "1,000,000") are thousands in either language; a single mark
    before three digits ("1.000", "1,000") is read as the reader's language writes thousands."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _mark, cents = text.rpartition(decimal_mark)
        if not re.fullmatch(rf"[1-9][0-9]{{0,2}}(\{thousands}[0-9]{{3}})*", whole) or decimal_mark in whole:
            return text  # "36.437.78,1": not groups of three, so no number (refused by the caller)
        return whole.replace(thousands, "") + "." + cents
    mark = "." if dots else "," if commas else ""
    if not mark:
        return text
    grouped = re.fullmatch(rf"[1-9][0-9]{{0,2}}(\{mark}[0-9]{{3}})+", text) is not None
    if grouped and (text.count(mark) > 1 or mark == ("." if language == "nl" else ",")):
        return text.replace(mark, "")
    return text.replace(",", ".")


def decimal(value: Any, field: str, places: int, minimum: Decimal, maximum: Decimal,
            above_minimum: bool = False) -> Decimal:  # fmt: skip
    """A decimal with at most `places` decimals (what the column stores: no silent rounding) within
    bounds. "1E-1000000" has a million places and is refused before any arithmetic."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,15})?", text):
        raise BadValue("input.not_a_number", field=field)
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only plain numbers
        raise BadValue("input.not_a_number", field=field) from None
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise BadValue("input.too_many_places", field=field, places=places)
    low_ok = number > minimum if above_minimum else number >= minimum
    if not low_ok or number > maximum:
        raise BadValue("input.out_of_range", field=field, minimum=minimum, maximum=maximum)
    return number


def string_list(value: Any, field: str, limit: int = 20, item_limit: int = 200) -> list[str]:
    """A list where a list is meant: "90910000" is one value, not eight one-character codes."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise BadValue("input.not_a_list", field=field)
    if len(value) > limit:
        raise BadValue("input.too_many", field=field, limit=limit)
    return [clean_text(item, field, item_limit, one_line=True) for item in value]


def depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply a parsed JSON value nests (without recursion, so any depth can be measured)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            todo.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def check_json(value: Any, limit: int = MAX_JSON_DEPTH) -> None:
    """Every key and string of a JSON value is clean text and the nesting stays within `limit`."""
    if depth(value, limit) > limit:
        raise BadValue("input.too_deep", limit=limit)
    todo = [("", value)]
    while todo:
        name, item = todo.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                clean_text(key, str(key)[:40] or "?", 200)
                todo.append((str(key), child))
        elif isinstance(item, list):
            todo.extend((name, child) for child in item)
        elif isinstance(item, str):
            clean_text(item, name[:40] or "?", 100_000)
        elif isinstance(item, float) and not (item == item and abs(item) != float("inf")):
            raise BadValue("input.not_a_number", field=name[:40] or "?")


def parse_json(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """JSON text parsed and checked; deep nesting is refused before the parser recurses into it."""
    raw = text.decode("utf-8") if isinstance(text, bytes) else text
    if _nesting_of_text(raw) > limit:
        raise BadValue("input.too_deep", limit=limit)
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise BadValue("input.not_json") from None
    check_json(value, limit)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _nesting_of_text(text: str) -> int:
    """The deepest bracket nesting outside strings, counted on the text itself."""
    deepest = level = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            level += 1
            deepest = max(deepest, level)
        elif character in "]}":
            level -= 1
    return deepest


def invoice_key(number: str) -> str:
    """An invoice number in its normal form, for comparing and the unique index: Unicode
    compatibility (NFKC), case folded, and dashes, spaces, dots, slashes and underscores removed,
    so inv-2026-77, INV‐2026‐77 (U+2010) and INV 2026 77 are one invoice."""
    folded = unicodedata.normalize("NFKC", number).casefold()
    return "".join(
        character
        for character in folded
        if not (unicodedata.category(character) in ("Pd", "Zs", "Zl", "Zp", "Cf") or character in "._/\\:;,#")
        and not character.isspace()
    )
