"""Bulk entry: an Excel template per obligation (one sheet per kind of contribution, the rule
set's building blocks as a drop-down list by their names, headers in the reader's language) and
an import that checks every row through the same services as the forms: all rows valid, all
stored as pending in one transaction; any row invalid, nothing stored and every problem listed
by sheet, row and column. Pages, the API and `impactmarkt sroi import`.
"""

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ("sheets", "workbook", "importer", "forms")
