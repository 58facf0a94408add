"""The one input layer: the only module that reads a request's query string, form and JSON body.

Every request passes `guard` first: no NUL, control character or lone surrogate in the path, a
query or form key or value, or a JSON body, and JSON nested at most `values.MAX_JSON_DEPTH` deep;
a bad request gets a 400 in the reader's language and reaches no view. Views then take their
arguments from here: typed ones through declared marshmallow schemas (`load_query`, `load_form`,
`load_json`) built from the fields below, which apply the rules of marketplace.core.web.values (the
same rules the services and the command line apply), and plain strings through `query()`/`form()`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, abort, g, request
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from marketplace.core.refusals import ServiceError
from marketplace.core.web import values

BadValue = values.BadValue
# What the rules let through, as patterns for the OpenAPI document (query values may hold tabs
# and line breaks).
QUERY_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"


class Refused(BadRequest):
    """A 400 whose description is a refusal worded in the reader's language (pages show it)."""


def refuse(error: ServiceError | str) -> NoReturn:
    """A 400 with a message in the reader's language (the error pages show it)."""
    raise Refused(str(error))


def guard() -> None:
    """Refuse the request as a whole when any value in it cannot be taken."""
    try:
        values.clean_text(request.path, "path", 10_000, one_line=True)
        for key, value in request.args.items(multi=True):
            values.clean_text(key, "?", 200, one_line=True)
            values.clean_text(value, key[:40], 100_000)
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            for key, value in request.form.items(multi=True):
                values.clean_text(key, "?", 200, one_line=True)
                # A multipart part may come without a usable name (werkzeug gives None).
                values.clean_text(value, (key or "?")[:40], 100_000)
            if request.is_json:
                raw = request.get_data(cache=True)
                g.input_json = values.parse_json(raw) if raw.strip() else None
    except UnicodeDecodeError:
        refuse(BadValue("input.not_json"))
    except BadValue as error:
        refuse(error)


def query() -> MultiDict[str, str]:
    """The query string, already guarded: for plain text arguments and parsers that take a mapping."""
    return request.args


def form() -> MultiDict[str, str]:
    """The posted form, already guarded."""
    return request.form


def whole_or_none(value: str | None, minimum: int = 0, maximum: int = values.MAX_WHOLE) -> int | None:
    """A whole number in ASCII digits within bounds, or None (the caller says what is wrong)."""
    try:
        return values.whole(value, "?", minimum, maximum)
    except BadValue:
        return None


def json_body() -> Any:
    """The JSON body, parsed once with the depth limit and checked by `guard` (None when absent)."""
    if "input_json" not in g:
        raw = request.get_data(cache=True)
        try:
            g.input_json = values.parse_json(raw) if raw.strip() else None
        except (BadValue, UnicodeDecodeError) as error:
            refuse(error if isinstance(error, BadValue) else BadValue("input.not_json"))
    return g.input_json


def first_error(error: ValidationError) -> str:
    field, messages = next(iter(sorted(error.normalized_messages().items())))
    while isinstance(messages, dict):
        field, messages = next(iter(sorted(messages.items(), key=lambda item: str(item[0]))))
    message = messages[0] if isinstance(messages, list) else str(messages)
    return message if str(field) in message else f"{field}: {message}"


def _load(schema: Schema, data: Any, unknown: str) -> dict[str, Any]:
    try:
        return schema.load(data, unknown=unknown)
    except ValidationError as error:
        refuse(first_error(error))
    raise AssertionError("unreachable")  # pragma: no cover


def _as_dict(source: MultiDict[str, str], schema: Schema) -> dict[str, Any]:
    """A MultiDict as the schema wants it: lists for list fields, one value for the others."""
    return {
        key: source.getlist(key) if isinstance(schema.fields.get(key), fields.List) else source.get(key)
        for key in source
    }


def load_query(schema: Schema) -> dict[str, Any]:
    return _load(schema, _as_dict(request.args, schema), "exclude")


def load_form(schema: Schema) -> dict[str, Any]:
    return _load(schema, _as_dict(request.form, schema), "exclude")


def load_json(schema: Schema) -> dict[str, Any]:
    """The JSON body as one object, loaded by its schema (unknown fields refused)."""
    if not request.is_json:
        abort(415)
    body = json_body()
    if not isinstance(body, dict):
        refuse(BadValue("input.not_json"))
    return _load(schema, body, "raise")


# --- Fields that apply marketplace.core.web.values: declare a schema with these -------------------
class _Rule(fields.Field):
    def _rule(self, value: Any, name: str) -> Any:  # pragma: no cover - each field overrides
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if value in ("", None) and not self.required:
            return None
        try:
            return self._rule(value, self.data_key or attr or "?")
        except BadValue as error:
            raise ValidationError(str(error)) from None

    def _validate(self, value: Any) -> None:
        """An empty optional value is "not given": nothing to measure (a length of None is a 500)."""
        if value is not None:
            super()._validate(value)

    def _serialize(self, value, attr, obj, **kwargs):  # type: ignore[no-untyped-def]
        return None if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))


class Whole(_Rule, fields.Integer):
    """A whole number in ASCII digits within bounds."""

    def __init__(self, minimum: int = 0, maximum: int = values.MAX_WHOLE, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _rule(self, value: Any, name: str) -> int:
        return values.whole(value, name, self.minimum, self.maximum)


class Day(_Rule, fields.Date):
    """A date (YYYY-MM-DD) between 1900 and 2100."""

    def _rule(self, value: Any, name: str) -> Any:
        return values.day(value, name)


class Number(_Rule, fields.String):
    """A decimal with at most `places` decimals within bounds."""

    def __init__(self, places: int, minimum: Any, maximum: Any, above_minimum: bool = False,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(**kwargs)
        self.places, self.minimum, self.maximum, self.above = places, minimum, maximum, above_minimum

    def _rule(self, value: Any, name: str) -> Any:
        return values.decimal(value, name, self.places, self.minimum, self.maximum, self.above)


class Text(_Rule, fields.String):
    """Text without NUL, control characters or lone surrogates, at most `limit` characters (the
    OpenAPI document shows both as maxLength and pattern)."""

    def __init__(self, limit: int = 2000, one_line: bool = True, min_length: int | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        pattern = ONE_LINE_PATTERN if one_line else QUERY_TEXT_PATTERN
        metadata = {"pattern": pattern, **kwargs.pop("metadata", {})}
        super().__init__(validate=validate.Length(min=min_length, max=limit), metadata=metadata, **kwargs)
        self.limit, self.one_line = limit, one_line

    def _rule(self, value: Any, name: str) -> str:
        return values.clean_text(value, name, self.limit, self.one_line)


class Items(fields.List):
    """A list where a list is meant, refused in the reader's words when it is anything else."""

    def _deserialize(self, value, attr, data, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(value, list):
            raise ValidationError(str(BadValue("input.not_a_list", field=self.data_key or attr or "?")))
        return super()._deserialize(value, attr, data, **kwargs)


def init_app(app: Flask) -> None:
    app.before_request(guard)
