"""Entity resolution kept in the database: which register records are one enterprise, the
coordinators' decisions on possible duplicates, and `impactmarkt resolve` for a file of records.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('services', 'review_queue')
