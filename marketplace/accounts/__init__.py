"""Accounts: sign up with e-mail confirmation, sign in and out, passwords, roles (a coordinator's
scoped to a region), "Mijn account", and `impactmarkt users`.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('models', 'services', 'sharing', 'passwords')
