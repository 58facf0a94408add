"""The life of an obligation after registration: the contractor's plan per contract year (and the
coordinator's decision on it), progress against that plan, reporting deadlines with reminders
and "overdue", and contract changes (meerwerk, minderwerk, extensions) that move the required
amount. Also the coordinator's page of one obligation.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ("models", "services", "progress", "deadlines", "changes", "schemas", "overview")
