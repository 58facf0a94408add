"""The public directory: home, search results and profile pages, label counts, and exports of
organisation lists (CSV, Excel, JSON; `impactmarkt export organisations`).
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('services', 'exports')
