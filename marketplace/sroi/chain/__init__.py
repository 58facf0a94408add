"""The chain: a main contractor invites subcontractors by e-mail to an obligation; what they
enter counts towards it (seen by the main contractor and the coordinator), while each
subcontractor sees only their own contributions. The main contractor can end an invitation.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ("models", "services")
