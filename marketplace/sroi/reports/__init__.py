"""What coordinators and councils read: the monitor with its at-risk thresholds and reminders,
reports per authority, region, period and label, charts, and open data for anyone.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('open_data', 'reminders')
