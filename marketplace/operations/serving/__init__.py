"""Serving in production: gunicorn with the configuration kept in gunicorn_config.py."""
