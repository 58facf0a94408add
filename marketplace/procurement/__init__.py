"""What procurers and contractors buy: shortlists, purchase requests with their offers, and the
supplier ranking for an obligation (`impactmarkt match`).
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('models', 'purchase_requests', 'shortlists', 'supplier_matching')
