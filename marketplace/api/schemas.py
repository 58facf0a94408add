"""The API's schemas (marshmallow): one organisation view for the API, the exports and the
generated OpenAPI document (apispec, as flask-smorest does).

`OrganisationSchema` dumps an `OrganisationView` (marketplace.organisations.view);
exports flatten the same dump, so the API and a spreadsheet can never disagree. Query
arguments are a schema too: loading them validates and gives the 400 message.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from marketplace.core.web.input_schema import QUERY_TEXT_PATTERN, Day, Items, Text
from marketplace.organisations.models import LABEL_STATES, REGISTERS  # noqa: F401
from marketplace.organisations.schema import (  # noqa: F401  (part of the API's schemas)
    LEVEL_VALUES,
    ContactSchema,
    LabelSchema,
    OfferingSchema,
    OrganisationSchema,
)
from marketplace.search.documents import FACETS
from marketplace.search.query import MAX_PAGE, MAX_PER_PAGE, PSO_LADDER, SORTS, whole_number
from matching.labels import label_order
from matching.records import LEVELS

# NUL and control characters are refused before any view sees them (marketplace.core.web.input_schema);
# say so in the schema (the OpenAPI document shows the pattern).
NO_NUL = validate.Regexp(QUERY_TEXT_PATTERN, error="may not contain a NUL or control character")
LABEL_FACET_VALUES = sorted(
    {f"{register}:{level}" for register, levels in LEVELS.items() for level in levels}
)
# What the `label` filter accepts: levels that are labels (an application is not), and PSO 30+.
LABEL_FILTER_VALUES = sorted(
    [value for value in LABEL_FACET_VALUES if value != "code:Aangevraagd"] + ["pso:30+"], key=label_order
)


class FacetCountSchema(Schema):
    value = fields.String(required=True)
    count = fields.Integer(required=True)


class OrganisationPageSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    facets = fields.Dict(
        keys=fields.String(), values=fields.List(fields.Nested(FacetCountSchema)), required=True
    )
    items = fields.List(fields.Nested(OrganisationSchema), required=True)
    places = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "Places read from q and applied as filters: {facet, value}"},
    )


class ErrorBodySchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


FACET_DESCRIPTIONS = {
    "register": "Register: pso, code or senl.",
    "label": "Label and level as register:level, e.g. pso:Trede 2, pso:30+, code:Toegelaten, senl:BOOST.",
    "impact": "Impact area as the Code register names it.",
    "cpv": "CPV division (two digits), e.g. 90 for sewage, refuse, cleaning and environmental services.",
    "province": "Province name, e.g. Overijssel.",
    "region": "Labour-market region name, e.g. Twente.",
    "municipality": "Municipality name, e.g. Enschede.",
}


def _facet_field(facet: str) -> fields.List:
    item = fields.String(validate=[validate.Length(max=200), NO_NUL])
    if facet == "register":
        item = fields.String(validate=validate.OneOf(REGISTERS))
    if facet == "label":
        item = fields.String(validate=validate.OneOf(LABEL_FILTER_VALUES))
    metadata = {"description": FACET_DESCRIPTIONS[facet] + " Repeat for any of several values."}
    if facet == "label":
        metadata["example"] = ["pso:Trede 2"]
    return fields.List(item, load_default=list, metadata=metadata)


class WholeNumber(fields.Integer):
    """A positive whole number in ASCII digits only: int() would also take "١" and " 2"."""

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        number = whole_number(value if isinstance(value, str) else str(value))
        if number is None:
            raise ValidationError("must be a positive whole number")
        return super()._deserialize(number, attr, data, **kwargs)


OrganisationQuerySchema = Schema.from_dict(
    {
        "q": fields.String(
            validate=[validate.Length(max=200), NO_NUL],
            metadata={
                "description": "Search words. Trade words also find their trade (schoonmaker, cleaning, "
                "fietsenmaker); a municipality, province or labour-market region name filters on that "
                "place (schoonmaak twente); an 8-digit KvK number finds its enterprise."
            },
        ),
        "letterlijk": fields.String(
            validate=validate.OneOf(["1", "ja"]),
            metadata={"description": "1: take place names and numbers in q as plain words"},
        ),
        "pso_vanaf": fields.String(
            validate=validate.OneOf(PSO_LADDER),
            metadata={"description": "Only enterprises with this PSO level or a higher one, e.g. Trede 2"},
        ),
        "sort": fields.String(
            validate=validate.OneOf(SORTS),
            metadata={"description": "relevance (default with q), name (default without), confirmed"},
        ),
        "page": WholeNumber(
            validate=validate.Range(min=1, max=MAX_PAGE), metadata={"description": "Page, from 1"}
        ),
        "per_page": WholeNumber(
            validate=validate.Range(min=1, max=MAX_PER_PAGE),
            metadata={"description": f"Organisations per page (default 20, at most {MAX_PER_PAGE})"},
        ),
        "pagina": WholeNumber(
            validate=validate.Range(min=1, max=MAX_PAGE), metadata={"description": "Dutch name for page"}
        ),
        "verlopen": fields.String(
            validate=validate.OneOf(["1", "ja"]),
            metadata={"description": "1 to include organisations whose labels have all expired"},
        ),
        **{facet: _facet_field(facet) for facet in FACETS},
    },
    name="OrganisationQuery",
)


class ReasonSchema(Schema):
    code = fields.String(
        required=True, metadata={"description": "A registered reason code (matching.reasons)"}
    )
    params = fields.Dict(required=True)
    weight = fields.Float(allow_none=True)
    text = fields.String(
        required=True, metadata={"description": "The reason in words, in the reader's language"}
    )


class ObligationInSchema(Schema):
    """What a contractor sends to register an obligation; the service checks every value."""

    title = Text(200, required=True, min_length=1)
    contracting_authority = Text(200, required=True, min_length=1)
    contract_reference = Text(100)
    contract_value_excl_vat = Text(30, required=True, metadata={"description": "Euros, e.g. 1000000.00"})
    percentage = Text(10, metadata={"description": "Leave out to use the region's rule set"})
    starts_on = Day(required=True)
    ends_on = Day(required=True)
    region = Text(100, required=True, metadata={"description": "Labour-market region name, e.g. Twente"})
    needs = Text(2000, one_line=False)
    cpv = Items(Text(10), validate=validate.Length(max=20))


class ContributionInSchema(Schema):
    """One contribution: a purchase (supplier, invoice_number, invoice_date, amount_excl_vat), a hire
    (block, hours_per_week, start, end, supplements) or a social activity (hours)."""

    kind = fields.String(required=True, validate=validate.OneOf(["purchase", "hire", "activity"]))
    supplier = Text(160, metadata={"description": "Organisation slug or KvK number"})
    invoice_number = Text(80)
    invoice_date = Day()
    amount_excl_vat = Text(30, metadata={"description": "Euros, e.g. 12000.00"})
    block = Text(80)
    hours_per_week = Text(10)
    start = Day()
    end = Day()
    supplements = Items(Text(80), validate=validate.Length(max=10))
    hours = Text(10)


class ValuationSchema(Schema):
    id = fields.Integer()
    amount = fields.String(required=True, metadata={"description": "Euros with two decimals"})
    ruleset = fields.String(required=True)
    version = fields.Integer(required=True)
    counts = fields.Boolean(required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


class ContributionSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    counted = fields.String(required=True, metadata={"description": "What it counts, in euros"})
    ruleset = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["pending", "approved", "rejected"]))
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


class ObligationSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    contracting_authority = fields.String(required=True)
    contract_reference = fields.String(required=True)
    contract_value_excl_vat = fields.String(required=True)
    percentage = fields.String(required=True)
    region = fields.String(required=True)
    ruleset = fields.String(required=True)
    waiting_for_ruleset = fields.Boolean(
        required=True,
        metadata={"description": "No rule set known for its region yet: contributions kept, value unknown"},
    )
    starts_on = fields.String(required=True, metadata={"format": "date"})
    ends_on = fields.String(required=True, metadata={"format": "date"})
    required = fields.String(required=True)
    counted = fields.String(required=True, metadata={"description": "Approved by a coordinator"})
    pending = fields.String(required=True)
    planned = fields.String(
        metadata={"description": "After today (or a hire's days ahead): counts once passed"}
    )
    remaining = fields.String(required=True)
    days_left = fields.Integer(required=True)
    contributions = fields.List(fields.Nested(ContributionSchema), required=True)


class OpenDataCellSchema(Schema):
    """Social return in one labour-market region and year: no personal data, and figures only where
    every part of the cell comes from at least three contractors (otherwise every figure is null)."""

    region = fields.String(required=True)
    region_slug = fields.String(required=True)
    year = fields.Integer(required=True)
    withheld = fields.Boolean(
        required=True, metadata={"description": "true: fewer than three contractors, no figure shown"}
    )
    obligations = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Obligations whose contract starts that year"},
    )
    required = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Euros required by those obligations"},
    )
    approved = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Euros of approved contributions counted that year"},
    )
    purchases_with_social_enterprises = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Euros invoiced (excl. VAT) by listed enterprises, approved"},
    )
    enterprises_reached = fields.Integer(required=True, allow_none=True)
    hires = fields.Integer(
        allow_none=True, metadata={"description": "null: withheld, fewer than three contractors"}
    )
    hires_approved = fields.String(allow_none=True)
    people_placed = fields.Integer(
        allow_none=True, metadata={"description": "distinct people placed by approved hires; null: withheld"}
    )
    full_time_equivalents = fields.String(
        allow_none=True, metadata={"description": "their full-time equivalents (36 hours); null: withheld"}
    )


class OpenDataSchema(Schema):
    cells = fields.List(fields.Nested(OpenDataCellSchema), required=True)
    years = fields.List(fields.Integer(), required=True)


OpenDataQuerySchema = Schema.from_dict(
    {
        "year": WholeNumber(
            validate=validate.Range(min=2000, max=2100), metadata={"description": "Only this year"}
        )
    },
    name="OpenDataQuery",
)


class RankingPartSchema(Schema):
    part = fields.String(required=True, metadata={"description": "fit, counts, validity, distance or spread"})
    score = fields.Integer(required=True)
    reason = fields.Nested(ReasonSchema, required=True)


class RankedSupplierSchema(Schema):
    organisation = fields.String(required=True, metadata={"description": "The organisation's slug"})
    name = fields.String(required=True)
    score = fields.Integer(
        required=True, metadata={"description": "The sum of the parts' scores (at most 1000)"}
    )
    share_counted = fields.String(
        required=True, metadata={"description": "Share of a purchase that counts, 0 to 1"}
    )
    closes_gap_with = fields.String(
        allow_none=True,
        metadata={"description": "Euros excl. VAT that would fill what remains of the obligation"},
    )
    parts = fields.List(fields.Nested(RankingPartSchema), required=True)


class RankingSchema(Schema):
    obligation = fields.Integer(required=True)
    remaining = fields.String(required=True)
    suppliers = fields.List(fields.Nested(RankedSupplierSchema), required=True)


RankingQuerySchema = Schema.from_dict(
    {
        "top": WholeNumber(
            validate=validate.Range(min=1, max=100), metadata={"description": "How many (10)"}
        ),
        "include_uncounted": fields.String(
            validate=validate.OneOf(["1", "ja"]),
            metadata={"description": "1 to include suppliers whose purchases count for nothing (with why)"},
        ),
    },
    name="RankingQuery",
)
