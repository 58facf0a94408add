"""The market scan's API shapes (marshmallow): the query GET /api/v1/market-scan takes and the answer
it sends, which is what `impactmarkt scan` prints. The OpenAPI document is generated from them."""

from __future__ import annotations

from marshmallow import Schema, fields

from marketplace.core.web.input_schema import Day, Text, Whole
from matching.market_scan import BAND_KEYS, BUCKETS, MAX_RADIUS_KM, MAX_THRESHOLD


class MarketScanQuerySchema(Schema):
    need = Text(limit=500, metadata={"description": "What is needed, in the procurer's own words"})
    cpv = Text(limit=400, metadata={"description": "CPV codes (8 digits), separated by spaces or commas"})
    place = Text(limit=120, required=True, metadata={"description": "Place of delivery (a municipality)"})
    radius_km = Whole(minimum=0, required=True, metadata={"description": f"Radius in km, 1-{MAX_RADIUS_KM}"})
    starts_on = Day(required=True, metadata={"description": "Contract start (YYYY-MM-DD)"})
    ends_on = Day(required=True, metadata={"description": "Contract end (YYYY-MM-DD), not before the start"})
    threshold = Whole(minimum=0, metadata={"description": f"PSO 30+ suppliers needed for competition (1 to "
                                                          f"{MAX_THRESHOLD}; default 3)"})  # fmt: skip


class ReasonTextSchema(Schema):
    code = fields.String(required=True)
    params = fields.Dict(required=True)
    text = fields.String(required=True)


def _counts(keys: tuple[str, ...]) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(metadata={"enum": list(keys)}), values=fields.Integer(), required=True
    )


class TallySchema(Schema):
    fitting = fields.Integer(required=True, metadata={"description": "Fitting enterprises, any distance"})
    within_radius = fields.Integer(required=True)
    by_label = _counts(BUCKETS)
    by_band = _counts(BAND_KEYS)
    pso30_within_radius = fields.Integer(required=True)
    sw_companies_within_radius = fields.Integer(required=True)
    reserved_feasible = fields.Boolean(required=True)
    judgement = fields.Nested(ReasonTextSchema, required=True)


class ScanLabelSchema(Schema):
    register = fields.String(required=True)
    level = fields.String(allow_none=True, required=True)
    pso30plus = fields.Boolean(required=True)
    state = fields.String(required=True)
    valid_until = fields.String(allow_none=True, required=True)
    ends_within_contract = fields.Boolean(required=True)


class ScanEnterpriseSchema(Schema):
    organisation = fields.String(required=True)
    name = fields.String(required=True)
    municipality = fields.String(allow_none=True, required=True)
    km = fields.Integer(allow_none=True, required=True)
    band = fields.String(required=True)
    within_radius = fields.Boolean(required=True)
    counted_as = fields.List(fields.String(), required=True)
    labels = fields.List(fields.Nested(ScanLabelSchema), required=True)
    evidence = fields.List(fields.String(), required=True)
    fit = fields.Nested(ReasonTextSchema, required=True)
    certificate_ends_within_contract = fields.Boolean(required=True)


class ScanQuestionSchema(Schema):
    need = fields.String(required=True)
    cpv = fields.List(fields.String(), required=True)
    place = fields.String(required=True)
    radius_km = fields.Integer(required=True)
    starts_on = fields.String(required=True)
    ends_on = fields.String(required=True)
    threshold = fields.Integer(required=True)


class ScanLotSchema(Schema):
    part = fields.String(required=True)
    counts = fields.Nested(TallySchema, required=True)


class ScanSourceSchema(Schema):
    register = fields.String(required=True)
    name = fields.String(required=True)
    crawled_at = fields.String(allow_none=True, required=True)


class MarketScanSchema(Schema):
    scanned_at = fields.String(required=True)
    question = fields.Nested(ScanQuestionSchema, required=True)
    counts = fields.Nested(TallySchema, required=True)
    sizes_known = fields.Boolean(required=True)
    caveat = fields.Nested(ReasonTextSchema, required=True)
    lots = fields.List(fields.Nested(ScanLotSchema), required=True)
    enterprises = fields.List(fields.Nested(ScanEnterpriseSchema), required=True)
    sources = fields.List(fields.Nested(ScanSourceSchema), required=True)
