"""Social return (SROI): rule sets as versioned data, and what each contribution counts.

In: a rule set (matching.sroi.rulesets.RuleSet, parsed from the published tables' shape) and a
contribution: a Hire, a Purchase with the supplier's label facts, or an Activity.
Out: a Valuation (matching.sroi.valuation): the amount in euros as an exact Decimal, the rule
set id and version, whether it counts, and its reasons as data (matching.reasons).
"""

from matching.sroi.rulesets import RuleSet, RuleSetError, parse, published
from matching.sroi.valuation import (
    Activity,
    Hire,
    Purchase,
    Valuation,
    value_activity,
    value_hire,
    value_purchase,
)

__all__ = ["Activity", "Hire", "Purchase", "RuleSet", "RuleSetError", "Valuation", "parse", "published",
           "value_activity", "value_hire", "value_purchase"]  # fmt: skip
