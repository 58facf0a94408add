"""Records in from the registers: run the spiders (`impactmarkt crawl`, `registers fill`), judge
whether a run is complete enough to delist anyone, store it in one transaction, and tell the
admins when a register changed its layout.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('models',)
