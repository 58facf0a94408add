"""The plain-Python engine of the product: no Flask, no database, no scrapers.

Shared vocabulary at the top (records, names, places, text, label states on a day, reasons);
one sub-package per concern, each saying in its docstring what comes in and what goes out:
`matching.resolution` (which register records are one enterprise). The app, the spiders and
the benchmarks all call it the same way.
"""
