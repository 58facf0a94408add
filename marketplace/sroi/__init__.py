"""Social return: rule sets, obligations and their contributions, the coordinator's review, the
monitor, reports and open data, and `impactmarkt sroi`. Each part is a package of its own; the
models and the suppliers a contractor keeps (matches) are shared by all parts.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('models', 'matches')
