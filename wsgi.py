"""WSGI entry point for production servers: `gunicorn wsgi:app`."""

from marketplace import create_app

app = create_app()
