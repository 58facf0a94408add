"""The organisation read model: organisations and their register labels, what owners added, and the
one view of an organisation that search documents, the API, exports and pages all show.

It sits below its readers: it imports the core and accounts only.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ('models', 'owner_models', 'labels', 'loading', 'rich_text', 'schema', 'services', 'view')
