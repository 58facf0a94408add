"""Refusals a person can act on: a reason code with parameters, worded in the reader's language
when shown (str() of the error), so an English reader never gets a Dutch sentence."""

from __future__ import annotations

from typing import Any

from marketplace.core.reasons import explain
from matching.reasons import Reason


class ServiceError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        self.reason = Reason(code, params)
        super().__init__(code)

    def __str__(self) -> str:
        return explain(self.reason)
