"""Entity resolution: which register records are one enterprise, and why.

In: register records as JSON objects (matching.records.RegisterRecord.to_json), the previous
assignment, the records that changed, and coordinators' merge/split decisions.
Out: a `Resolution` (matching.resolution.resolve): record id -> entity id, the pairs merged
and the pairs for review, each with its score and its evidence as reasons (matching.reasons).
"""

from matching.resolution.resolve import Override, Resolution, resolve

__all__ = ["Override", "Resolution", "resolve"]
