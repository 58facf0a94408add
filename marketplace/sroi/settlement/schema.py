"""The settlement's shape in the API and its OpenAPI document (marshmallow, as marketplace.api.schemas)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from marketplace.core.web.input_schema import Text
from marketplace.sroi.settlement.models import CONSEQUENCES


class SettlementInSchema(Schema):
    """A settlement or, with a reason, a correction of one. The consequence is recorded as agreed."""

    consequence = fields.String(required=True, validate=validate.OneOf(list(CONSEQUENCES)))
    consequence_text = Text(2000, one_line=False, metadata={"description": "what the parties agreed"})
    consequence_amount = Text(
        30, allow_none=True, metadata={"description": "agreed amount in euros, e.g. 1250.00"}
    )
    reason = Text(
        2000, one_line=False, metadata={"description": "only for a correction: why it is corrected"}
    )


class KindSchema(Schema):
    count = fields.Integer(required=True)
    amount = fields.String(required=True)


class SettlementSchema(Schema):
    id = fields.Integer(required=True)
    obligation = fields.Integer(required=True)
    settled_on = fields.String(required=True)
    required = fields.String(required=True)
    realised = fields.String(required=True)
    shortfall = fields.String(required=True)
    per_kind = fields.Dict(keys=fields.String(), values=fields.Nested(KindSchema), required=True)
    contributions = fields.List(fields.Integer(), required=True)
    consequence = fields.String(required=True)
    consequence_text = fields.String(required=True)
    consequence_amount = fields.String(allow_none=True, required=True)
    reason = fields.String(allow_none=True, required=True)
    corrects = fields.Integer(allow_none=True, required=True)
