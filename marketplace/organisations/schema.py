"""The organisation as it is dumped: one marshmallow schema for the API, the exports and the OpenAPI
document, so an API answer and a spreadsheet row can never disagree."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from marketplace.organisations.models import LABEL_STATES, REGISTERS
from matching.records import LEVELS

LEVEL_VALUES = sorted({level for levels in LEVELS.values() for level in levels})


class LabelSchema(Schema):
    register = fields.String(required=True, validate=validate.OneOf(REGISTERS))
    register_name = fields.String(required=True)
    level = fields.String(allow_none=True, metadata={"enum": [*LEVEL_VALUES, None]})
    pso30plus = fields.Boolean(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf(LABEL_STATES),
        metadata={
            "description": "On the day of the request: active, applied (an application, not a label), "
            "grace (the register no longer shows it; re-confirmation pending) or expired."
        },
    )
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    next_review = fields.Date(allow_none=True)
    last_confirmed = fields.Date(required=True, attribute="last_seen")
    grace_ends = fields.Date(allow_none=True)
    source_url = fields.String(
        required=True, metadata={"description": "The register's own page for this record"}
    )


class OfferingSchema(Schema):
    title = fields.String(required=True)
    description = fields.String(required=True)
    cpv_code = fields.String(required=True)
    cpv_name = fields.String(allow_none=True)
    price_indication = fields.String(allow_none=True)


class ContactSchema(Schema):
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class OrganisationSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kvk = fields.String(allow_none=True)
    legal_form = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    municipality = fields.String(allow_none=True)
    province = fields.String(allow_none=True)
    labour_market_region = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    mission = fields.String(allow_none=True, metadata={"description": "As the register shows it"})
    target_groups = fields.String(
        allow_none=True, metadata={"description": "Whom the enterprise employs (owner)"}
    )
    impact_statement = fields.String(allow_none=True, metadata={"description": "Its social impact (owner)"})
    sectors = fields.List(fields.String(), required=True)
    impact_areas = fields.List(fields.String(), required=True)
    description = fields.String(
        allow_none=True, metadata={"description": "The owner's description (sanitised HTML)"}
    )
    offerings = fields.List(fields.Nested(OfferingSchema), required=True)
    regions_served = fields.List(fields.String(), required=True)
    contact = fields.Nested(ContactSchema, allow_none=True)
    claimed = fields.Boolean(
        required=True, metadata={"description": "Whether an owner completes this profile"}
    )
    url = fields.String(required=True)
    labels = fields.List(fields.Nested(LabelSchema), required=True)
