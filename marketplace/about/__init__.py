"""Pages a visitor expects: what Impactmarkt is, how the crawler works, privacy, accessibility, contact.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ()
