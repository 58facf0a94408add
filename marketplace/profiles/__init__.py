"""Claiming a listed enterprise and completing its profile: codes mailed to its own domain, claims
a coordinator judges, owners' edits versioned, and the entrepreneur's pages.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('claims', 'services')
