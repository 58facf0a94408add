"""The bulk import's part of the OpenAPI document: its schemas and its two operations, added to
the document by marketplace.api.openapi."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from marshmallow import Schema, fields

from marketplace.api.schemas import ErrorBodySchema
from marketplace.core.tabular import XLSX_MIMETYPE


class ImportProblemSchema(Schema):
    sheet = fields.String(required=True, metadata={"description": "The sheet's title as in the file"})
    row = fields.Integer(required=True, metadata={"description": "Row number in the sheet (1 is the header)"})
    column = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The column's header in the reader's language; null: the row"},
    )
    message = fields.String(
        required=True, metadata={"description": "What is wrong, in the reader's language"}
    )


class ImportResultSchema(Schema):
    stored = fields.Integer(
        required=True, metadata={"description": "Contributions stored, all pending review"}
    )
    ids = fields.List(fields.Integer(), required=True)


class ImportRefusedSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
    problems = fields.List(fields.Nested(ImportProblemSchema), required=True,
                           metadata={"description": "Every problem; nothing was stored"})  # fmt: skip


def describe(
    spec: APISpec,
    obligation_id: dict[str, Any],
    signed_in: dict[str, Any],
    refusals: dict[str, Any],
    error: dict[str, Any],
) -> None:
    spec.components.schema("ImportResult", schema=ImportResultSchema)
    spec.components.schema("ImportRefused", schema=ImportRefusedSchema)
    spec.path(
        path="/obligations/{obligation_id}/import/template",
        operations={
            "get": {
                "summary": "The Excel template for bulk entry: a sheet per kind, the blocks as a list",
                "parameters": [obligation_id],
                "responses": {
                    "200": {"description": "The template", "content": {XLSX_MIMETYPE: {"schema": {
                        "type": "string", "format": "binary"}}}},
                    "404": error,
                    **refusals,
                },
                **signed_in,
            }
        },
    )  # fmt: skip
    spec.path(
        path="/obligations/{obligation_id}/import",
        operations={
            "post": {
                "summary": "Import a filled template: all rows stored as pending, or none and the problems",
                "parameters": [obligation_id],
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                "responses": {
                    "201": {"description": "Every row stored", "content": {"application/json": {
                        "schema": "ImportResult"}}},
                    "400": error,
                    "415": error,
                    "404": error,
                    "413": error,
                    "422": {"description": "Nothing stored: the problems by sheet, row and column",
                            "content": {"application/json": {"schema": "ImportRefused"}}},
                    **refusals,
                },
                **signed_in,
            }
        },
    )  # fmt: skip
