"""Privacy: what Impactmarkt keeps about one person, handed over (AVG art. 15 and 20) or deleted.

It sits above the features because it reads and removes what each of them keeps about a person.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('accounts', 'personal_data')
