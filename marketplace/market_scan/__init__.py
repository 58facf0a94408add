"""Market scans for procurers (marktverkenning): before a tender, how many certified social
enterprises fit a need in or around a place, by label, level and distance, whether a tender
reserved under art. 2.82 Aanbestedingswet looks feasible, per lot; saved, shared with named
colleagues, exported (CSV, Excel, an A4 PDF for the tender file) and run again to see what changed.
The counting itself is matching.market_scan; `impactmarkt scan` and GET /api/v1/market-scan.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('models', 'services', 'schemas')
