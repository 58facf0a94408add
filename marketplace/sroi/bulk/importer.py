"""Import a filled template: every row is checked through the same service as the forms
(marketplace.sroi.obligations.services.check_contribution), and also against the rows above it in
the file. All rows valid: all are stored as pending in one transaction. Any row invalid: nothing
is stored, and every problem is returned by sheet, row and column, as a reason worded when shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.reasons import explain
from marketplace.core.refusals import ServiceError
from marketplace.sroi import matches
from marketplace.sroi.bulk import sheets, workbook
from marketplace.sroi.models import Contribution, Obligation, SupplierMatch
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.reasons import Reason

# Which column a refusal is about, when its reason names no field of its own.
COLUMN_OF_CODE = {
    "sroi.unknown_supplier": "supplier",
    "sroi.supplier_ambiguous": "supplier",
    "sroi.invoice_outside_contract": "invoice_date",
    "sroi.duplicate_invoice": "invoice_number",
    "sroi.unknown_block": "block",
    "sroi.end_before_start": "end",
    "sroi.hire_outside_contract": "start",
    "sroi.unknown_supplement": "supplements",
    "sroi.reference_is_bsn": "person_reference",
    "sroi.duplicate_hire": "person_reference",
}


@dataclass(frozen=True)
class RowProblem:
    """One problem: the sheet's kind, its title as in the file, the row number in the sheet, the
    column (its key; None for the row as a whole) and why."""

    kind: str
    sheet: str
    row: int
    column: str | None
    reason: Reason

    def as_json(self) -> dict[str, Any]:
        """Row, column and message in the reader's language (the column by its header)."""
        column = sheets.column(self.kind, self.column) if self.column else None
        return {"sheet": self.sheet, "row": self.row, "column": str(column.header) if column else None,
                "message": explain(self.reason)}  # fmt: skip


@dataclass
class Outcome:
    stored: list[Contribution] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # of the stored ones, read before the commit
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0


def _column_of(kind: str, reason: Reason) -> str | None:
    named = str(reason.params.get("field") or "")
    if named == "hours" and kind == "hire":
        named = "hours_per_week"
    if named and sheets.column(kind, named) is not None:
        return named
    if reason.code == "sroi.bad_hours":
        return "hours_per_week" if kind == "hire" else "hours"
    return COLUMN_OF_CODE.get(reason.code)


def _row_values(
    kind: str, columns: dict[int, sheets.Column], cells: list[Any], names: dict[str, dict[str, str]]
) -> tuple[dict[str, Any], list[tuple[str, Reason]]]:
    """A row in the contribution's shape, with blocks and supplements by key; unknown names are
    problems of their cell."""
    values: dict[str, Any] = {"kind": kind}
    problems: list[tuple[str, Reason]] = []
    for index, column in columns.items():
        value = workbook.cell_text(cells[index] if index < len(cells) else None)
        if column.cell == "block" and value:
            key = names["block"].get(sheets.fold(value))
            if key is None:
                problems.append((column.key, Reason("bulk.unknown_block", {"block": value[:80]})))
            value = key
        elif column.cell == "supplement":
            typed = [part.strip() for part in str(value or "").split(";") if part.strip()]
            keys = [names["supplement"].get(sheets.fold(part)) for part in typed]
            unknown = [part for part, key in zip(typed, keys, strict=True) if key is None]
            if unknown:
                problems.append(
                    (column.key, Reason("bulk.unknown_supplement", {"supplement": ", ".join(unknown)[:80]}))
                )
            value = [key for key in keys if key is not None]
        values[column.key] = value
    return values, problems


def _same_as(kind: str, contribution: Contribution) -> tuple[Any, ...] | None:
    """What makes two rows of one file the same contribution (as the database would refuse it)."""
    if kind == "purchase":
        return (contribution.organisation_id, contribution.invoice_key)
    if kind == "hire" and contribution.person_reference:
        return (
            contribution.person_reference,
            contribution.block,
            contribution.starts_on,
            contribution.ends_on,
        )
    return None


def _supplier(reference: Any, found: dict[str, Any]) -> Any:
    """The supplier a row names, looked up once per distinct name or number in the file (the
    service's own look-up; a reference it refuses stays as typed so the service words why)."""
    key = str(reference or "").strip()
    if key not in found:
        try:
            found[key] = obligations.supplier(key)
        except ServiceError:
            found[key] = reference
    return found[key]


def check(obligation: Obligation, data: bytes) -> tuple[Outcome, list[Contribution]]:
    """Check every row of the file; the valued contributions are not in the session yet."""
    rules = sroi_rulesets.rules(obligation.ruleset_id)  # parsed once for all rows
    names = {"block": sheets.block_keys(rules), "supplement": sheets.supplement_keys(rules)}
    suppliers: dict[str, Any] = {}
    outcome, ready = Outcome(), []
    for sheet in workbook.read(data):
        columns: dict[int, sheets.Column] = {}
        for index, header in enumerate(sheet.headers):
            found = sheets.column_of_header(sheet.kind, header)
            if found is not None and found not in columns.values():
                columns[index] = found
        missing = [c for c in sheets.SHEETS[sheet.kind][1] if c.required and c not in columns.values()]
        for column in missing:
            reason = Reason("bulk.missing_column", {"sheet": sheet.title, "column": str(column.header)})
            outcome.problems.append(RowProblem(sheet.kind, sheet.title, 1, column.key, reason))
        if missing:
            continue
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in sheet.rows:
            outcome.rows += 1
            values, problems = _row_values(sheet.kind, columns, cells, names)
            for key, reason in problems:
                outcome.problems.append(RowProblem(sheet.kind, sheet.title, number, key, reason))
            if problems:
                continue
            if sheet.kind == "purchase":
                values["supplier"] = _supplier(values.get("supplier"), suppliers)
            try:
                contribution = obligations.check_contribution(obligation, values, rules).contribution
            except ServiceError as error:
                column = _column_of(sheet.kind, error.reason)
                outcome.problems.append(RowProblem(sheet.kind, sheet.title, number, column, error.reason))
                continue
            same = _same_as(sheet.kind, contribution)
            if same is not None and same in seen:
                column = "invoice_number" if sheet.kind == "purchase" else "person_reference"
                reason = Reason("bulk.duplicate_in_file", {"row": seen[same]})
                outcome.problems.append(RowProblem(sheet.kind, sheet.title, number, column, reason))
                continue
            if same is not None:
                seen[same] = number
            ready.append(contribution)
    return outcome, ready


def import_file(obligation: Obligation, data: bytes, entered_by: User | None = None) -> Outcome:
    """All or nothing: the rows are stored (pending, in one transaction) only when none has a
    problem. `entered_by`: the subcontractor importing (None: the obligation's own contractor)."""
    outcome, ready = check(obligation, data)
    if outcome.problems:
        db.session.rollback()  # nothing of this file stays behind, not even a half-made object
        return outcome
    for contribution in ready:
        contribution.entered_by_id = entered_by.id if entered_by is not None else None
    # Purchases from suppliers matched to this obligation link their match (as the form's do).
    matched = set(
        db.session.scalars(
            select(SupplierMatch.organisation_id).where(
                SupplierMatch.obligation_id == obligation.id, SupplierMatch.contribution_id.is_(None)
            )
        )
    )
    db.session.add_all(ready)
    try:
        db.session.flush()
        outcome.ids = [contribution.id for contribution in ready]
        linking = [c for c in ready if c.kind == "purchase" and c.organisation_id in matched]
        db.session.commit()
    except IntegrityError:
        # An invoice in the file was stored by someone else meanwhile: the unique index held.
        db.session.rollback()
        raise obligations.ObligationRefused("sroi.already_registered") from None
    for contribution in linking:
        matches.link_contribution(contribution)
    outcome.stored = ready
    return outcome
