"""Tables as files people open in a spreadsheet: CSV and Excel, with the filters that made them.

Every cell passes `spreadsheet_text`, so a crawled name that starts with "=" can never run as a
formula (OWASP's CSV-injection advice); exports, reports and the audit log all write through here.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Flask adds "; charset=utf-8" to a text/* mimetype itself: said once.
CSV_MIMETYPE = "text/csv"
ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# OWASP's CSV-injection advice: a cell that starts with one of these is read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: characters Excel refuses are dropped, and a value
    that would start a formula gets a leading apostrophe (crawled names included)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value



def dutch_cell(value: Any) -> Any:
    """A value as Dutch Excel reads it from a CSV file: a decimal comma (42203,70: with a point it
    reads a thousands separator or text) and days as 31-12-2026 (its own short date)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (Decimal, float)):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str) and (day := ISO_DAY.fullmatch(value)):
        return f"{day.group(3)}-{day.group(2)}-{day.group(1)}"
    return value


def table_csv(headers: list[str], rows: list[list[Any]], described: list[tuple[str, str]]) -> str:
    """A table as CSV for Dutch Excel: semicolons, decimal commas, days as 31-12-2026; the filters
    first as # lines."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for key, value in described:
        writer.writerow([f"# {key}", spreadsheet_text(value)])
    writer.writerow([spreadsheet_text(header) for header in headers])
    for row in rows:
        writer.writerow([spreadsheet_text(dutch_cell(value)) for value in row])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8 (diacritics in names)


def table_xlsx(
    title: str, headers: list[str], rows: list[list[Any]], described: list[tuple[str, str]]
) -> bytes:
    """A table as an Excel workbook: the table on the first sheet, the filters on a second."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([spreadsheet_text(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_text(value) for value in row])
    sheet.freeze_panes = "A2"
    filters = workbook.create_sheet("Filters")
    for key, value in described:
        filters.append([spreadsheet_text(key), spreadsheet_text(value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
