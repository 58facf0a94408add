"""The API's schemas for plans and contract changes (marshmallow), in the OpenAPI document
through marketplace.api.openapi. The services check every value again, as for the command line."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from marketplace.core.web.input_schema import Day, Items, Text, Whole


class PlanLineInSchema(Schema):
    """One planned contribution in a contract year: a purchase (supplier, amount_excl_vat), a hire
    (block, hours_per_week, months, supplements) or a social activity (hours)."""

    year = Whole(
        1, 100, required=True, metadata={"description": "Contract year: 1 is the first twelve months"}
    )
    kind = fields.String(required=True, validate=validate.OneOf(["purchase", "hire", "activity"]))
    supplier = Text(160, metadata={"description": "Organisation slug or KvK number, from the listing"})
    amount_excl_vat = Text(30, metadata={"description": "Euros, e.g. 12000.00"})
    block = Text(80, metadata={"description": "A building block of the obligation's rule set"})
    hours_per_week = Text(10)
    months = Whole(1, 12, metadata={"description": "Months of the hire within the year (default 12)"})
    supplements = Items(Text(80), validate=validate.Length(max=10))
    hours = Text(10)


class PlanInSchema(Schema):
    lines = Items(fields.Nested(PlanLineInSchema), required=True, validate=validate.Length(min=1, max=200))
    note = Text(2000, one_line=False)


class PlanLineSchema(Schema):
    year = fields.Integer(required=True)
    kind = fields.String(required=True)
    block = fields.String(allow_none=True)
    supplier = fields.String(allow_none=True)
    amount_excl_vat = fields.String(allow_none=True)
    hours_per_week = fields.String(allow_none=True)
    months = fields.Integer(allow_none=True)
    hours = fields.String(allow_none=True)
    planned = fields.String(required=True, metadata={"description": "What it counts, in euros"})
    reasons = fields.List(fields.Dict(), required=True)


class PlanSchema(Schema):
    id = fields.Integer(required=True)
    obligation = fields.Integer(required=True)
    version = fields.Integer(required=True)
    status = fields.String(
        required=True, metadata={"description": "proposed, approved, changes_asked or replaced"}
    )
    ruleset = fields.String(required=True)
    ruleset_version = fields.Integer(required=True)
    total = fields.String(required=True)
    lines = fields.List(fields.Nested(PlanLineSchema), required=True)


class ChangeInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["extra_work", "less_work", "extension"]))
    amount_excl_vat = Text(30, metadata={"description": "Euros up (extra_work) or down (less_work)"})
    ends_on = Day(metadata={"description": "The new end date (required for an extension)"})
    agreed_on = Day(metadata={"description": "The day the change was agreed (default today)"})
    reason = Text(2000, one_line=False, required=True, min_length=1)


class FiguresSchema(Schema):
    contract_value = fields.String(required=True)
    ends_on = fields.String(required=True)
    required = fields.String(required=True)


class ChangeSchema(Schema):
    id = fields.Integer(required=True)
    obligation = fields.Integer(required=True)
    kind = fields.String(required=True)
    agreed_on = fields.String(required=True)
    reason = fields.String(required=True)
    value_before = fields.String(required=True)
    value_after = fields.String(required=True)
    ends_before = fields.String(required=True)
    ends_after = fields.String(required=True)
    original = fields.Nested(FiguresSchema, required=True)
    current = fields.Nested(FiguresSchema, required=True)
