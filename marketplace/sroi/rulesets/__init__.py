"""Rule sets as versioned data: the shipped tables, each region's default, coordinators' edits
reviewed by a colleague, and the coordinator's rule-set pages.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('services', 'company_lists')
