"""Application services: the only place that writes the database (spiders and pages call these)."""
