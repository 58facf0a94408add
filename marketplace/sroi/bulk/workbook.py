"""The Excel file both ways: the template for an obligation (written with openpyxl through the
formula-safe cells of marketplace.core.tabular), and an upload read by openpyxl after the
container is checked: a real .xlsx (a zip with a workbook), no macros (VBA or Excel 4.0 macro
sheets), not too large packed or unpacked, not too many rows."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from marketplace.core.refusals import ServiceError
from marketplace.core.tabular import spreadsheet_text
from marketplace.sroi.bulk import sheets
from marketplace.sroi.models import Obligation
from matching.sroi import RuleSet

MAX_BYTES = 2 * 1024 * 1024  # 1,000 rows are about 60 kB
MAX_UNPACKED = 40 * 1024 * 1024  # a zip bomb stops here, before any XML is parsed
MAX_ROWS = 5000  # rows in all sheets together
TEMPLATE_ROWS = 1000  # rows that get the drop-down lists and formats
MACRO_PARTS = ("vbaproject.bin", "xl/macrosheets/", "xl/dialogsheets/", "activex")


class BulkRefused(ServiceError):
    """A file that cannot be read as a template, with why."""


def _language() -> str:
    return "en" if str(get_locale() or "nl").startswith("en") else "nl"


def template(obligation: Obligation, rules: RuleSet) -> bytes:
    """The template for this obligation in the reader's language: an explanation first, then one
    sheet per kind, and a hidden sheet with the lists the drop-downs read."""
    language = _language()
    book = Workbook()
    about = book.active
    about.title = spreadsheet_text(_("Uitleg"))
    lines = [
        _("Bijdragen voor: %(title)s (%(authority)s)", title=obligation.title,
          authority=obligation.contracting_authority),
        _("Vul per soort bijdrage het tabblad in, één bijdrage per regel. Laat de eerste regel staan."),
        _("Kies het bouwblok en de toeslag uit de lijst. Datums als datum (bijvoorbeeld 2026-05-02)."),
        _("Zijn alle regels goed, dan worden ze allemaal vastgelegd en wachten ze op beoordeling. "
          "Is één regel fout, dan wordt niets vastgelegd en ziet u per regel wat er mis is."),
    ]  # fmt: skip
    for number, line in enumerate(lines, start=1):
        about.cell(number, 1, spreadsheet_text(line))
    about.column_dimensions["A"].width = 110
    lists = book.create_sheet(spreadsheet_text(str(sheets.LISTS_SHEET)))
    blocks = sheets.block_names(rules, language)
    supplements = sheets.supplement_names(rules, language)
    lists.cell(1, 1, spreadsheet_text(_("Bouwblok"))).font = Font(bold=True)
    lists.cell(1, 2, spreadsheet_text(_("Toeslag"))).font = Font(bold=True)
    for row, name in enumerate(blocks, start=2):
        lists.cell(row, 1, spreadsheet_text(name))
    for row, name in enumerate(supplements, start=2):
        lists.cell(row, 2, spreadsheet_text(name))
    lists.sheet_state = "hidden"
    ranges = {
        "block": f"{quote_sheetname(lists.title)}!$A$2:$A${len(blocks) + 1}" if blocks else None,
        "supplement": f"{quote_sheetname(lists.title)}!$B$2:$B${len(supplements) + 1}"
        if supplements
        else None,
    }
    for title, columns in sheets.SHEETS.values():
        sheet = book.create_sheet(spreadsheet_text(str(title)), index=len(book.sheetnames) - 1)
        for number, column in enumerate(columns, start=1):
            letter = get_column_letter(number)
            cell = sheet.cell(1, number, spreadsheet_text(str(column.header)))
            cell.font = Font(bold=True)
            sheet.column_dimensions[letter].width = max(18, len(str(column.header)) + 2)
            cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
            rule = _validation(column, ranges)
            if rule is not None:
                sheet.add_data_validation(rule)
                rule.add(cells)
            if column.cell == "date":  # the column's format, not its cells: no rows below the header
                sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(column: sheets.Column, ranges: dict[str, str | None]) -> DataValidation | None:
    """Excel's own check while typing: a list for blocks and supplements, a date, a number."""
    if column.cell in ("block", "supplement"):
        source = ranges[column.cell]
        if source is None:
            return None
        rule = DataValidation(type="list", formula1=source, allow_blank=not column.required)
        # Several supplements are typed with ";" between them: Excel may not stop that.
        rule.showErrorMessage = column.cell == "block"
    elif column.cell == "date":
        rule = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                              formula2="DATE(2100,12,31)", allow_blank=True)  # fmt: skip
    elif column.cell in ("amount", "number"):
        rule = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
    else:
        return None
    rule.error = _("Kies een waarde uit de lijst of vul een geldige waarde in.")
    rule.errorTitle = _("Ongeldige waarde")
    return rule


@dataclass(frozen=True)
class Sheet:
    """One sheet of an upload: its kind, its header cells and its rows (number, cells)."""

    kind: str
    title: str
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]


def _check_container(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise BulkRefused("bulk.too_large", limit=MAX_BYTES // (1024 * 1024))
    if not data.startswith(b"PK\x03\x04"):
        raise BulkRefused("bulk.not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename.lower() for info in infos]
            if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
                raise BulkRefused("bulk.not_xlsx")
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                raise BulkRefused("bulk.too_large", limit=MAX_BYTES // (1024 * 1024))
            types = archive.read(next(i for i in infos if i.filename.lower() == "[content_types].xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, StopIteration):
        raise BulkRefused("bulk.not_xlsx") from None
    if any(part in name for name in names for part in MACRO_PARTS) or b"macroenabled" in types.lower():
        raise BulkRefused("bulk.macros")


def read(data: bytes) -> list[Sheet]:
    """The sheets of the template in an upload (others are left alone), with their filled rows."""
    _check_container(data)
    try:
        # Formulas are read as what they are (text), never evaluated or taken from a cached result:
        # a row with "=1+1" is a row with a problem, not an empty row.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a broken file; each means "not a workbook"
        raise BulkRefused("bulk.not_xlsx") from None
    found: list[Sheet] = []
    total = 0
    try:
        for sheet in book.worksheets:
            kind = sheets.kind_of_sheet(sheet.title)
            if kind is None:
                continue
            rows = sheet.iter_rows(values_only=True)
            headers = list(next(rows, ()) or ())
            filled = []
            for number, cells in enumerate(rows, start=2):
                if any(cell not in (None, "") and str(cell).strip() for cell in cells):
                    total += 1
                    if total > MAX_ROWS:
                        raise BulkRefused("bulk.too_many_rows", limit=MAX_ROWS)
                    filled.append((number, list(cells)))
            found.append(Sheet(kind, sheet.title, headers, filled))
    except BulkRefused:
        raise
    except Exception:  # a part that does not parse halfway through the file
        raise BulkRefused("bulk.not_xlsx") from None
    finally:
        book.close()
    if not any(sheet.rows for sheet in found):
        raise BulkRefused("bulk.empty")
    return found


def cell_text(value: Any) -> Any:
    """A cell as the services take it: days as ISO dates, numbers with a decimal comma (so "1.234"
    is never read as one thousand two hundred and thirty-four), text trimmed."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f").replace(".", ",")
    return str(value).strip()
