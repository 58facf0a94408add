"""Plain-Python matching library: entity resolution, SROI rule sets and supplier ranking.

Imports neither Flask nor the database, so the app, the spiders and the benchmarks can all
call it the same way.
"""
