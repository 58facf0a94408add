"""The coordinator's review: one queue of everything waiting in their regions, decisions on
contributions, matches and colleagues' rule-set versions, the coordinator's start page and the
audit log.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('queue',)
