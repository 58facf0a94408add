"""Obligations and contributions: register an obligation, record purchases, hires and activities
with their evidence, value them under the obligation's rule set, and the contractor's pages.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = (
    'services', 'plain_data', 'evidence', 'conversation', 'retention', 'waiting', 'forms',
    'contribution_forms', 'owned',
)
