"""The WSGI entry point for gunicorn (`gunicorn wsgi:app`, see `make run`)."""

from phpnet import create_app

app = create_app()
