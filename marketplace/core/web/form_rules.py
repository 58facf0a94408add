"""WTForms validators that apply the input layer's value rules (marketplace.core.web.values) to
a page's form, so a form, the API and a command's JSON file refuse the same values the same way:
dates between 1900 and 2100, decimals with no more places than stored and within bounds. The
message stands beside the field, in the reader's language (the rule's reason, worded by
marketplace.core.reasons), and nothing reaches a service that would refuse it later.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from wtforms import Field, Form
from wtforms.validators import ValidationError

from marketplace.core.refusals import ServiceError
from marketplace.core.web import values


class Rule:
    """Any check that raises a ServiceError (a rule of values.py, or a service's own check such
    as its amount in euros): its worded reason becomes the field's message."""

    def __init__(self, check: Callable[[Any], object]) -> None:
        self.check = check

    def __call__(self, form: Form, field: Field) -> None:
        if field.data in (None, ""):
            return  # Optional() or DataRequired() before this rule says what an empty field means
        try:
            self.check(field.data)
        except ServiceError as error:
            raise ValidationError(str(error)) from None


class DayRule(Rule):
    """A date between values.FIRST_DAY and values.LAST_DAY (9999-12-31 overflows the day after)."""

    def __init__(self, key: str) -> None:
        super().__init__(lambda found: values.day(found, key))


class DecimalRule(Rule):
    """A decimal with at most `places` decimals (what the column stores: 0.001 is refused, never
    rounded) between `minimum` and `maximum` (above the minimum when `above_minimum`)."""

    def __init__(
        self, key: str, places: int, minimum: Decimal, maximum: Decimal, above_minimum: bool = False
    ) -> None:
        super().__init__(lambda found: values.decimal(found, key, places, minimum, maximum, above_minimum))

