"""The small core every feature stands on: settings, the one clock, language, the database and
extensions, security headers, error pages, links, rate limits, role checks, refusals and reasons
put into words, mail, the audit log, reference tables and the site's shared areas.

The core imports no feature.
"""
