"""Running Impactmarkt as a service: background jobs and their schedule, gunicorn serving, logs,
metrics and health checks, backups and restores, and the administrator's pages.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ()
