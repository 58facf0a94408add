"""Loading the shipped reference data (municipalities, regions, provinces, CPV categories, the
published SROI rule sets) idempotently: `impactmarkt refdata load`.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ()
