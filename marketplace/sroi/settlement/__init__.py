"""The end of an obligation: the coordinator's settlement (realised against required, what counted
per kind, the shortfall and the consequence the contract provides, as agreed), the read-only lock
on a settled obligation, the settlement letter (A4 PDF), each obligation's status on the day asked,
and its impact beyond euros (people placed, full-time equivalents, target groups, how long people
were employed and whether they still are).
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ("models", "lock", "status", "services", "impact", "schema")
