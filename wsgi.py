"""The WSGI entry point for gunicorn (`gunicorn wsgi:app`, see `make run`)."""

import gc

from phpnet import create_app

app = create_app()
# The app's modules, templates and plugin registry live as long as the worker:
# keep them out of the garbage collector's full passes (about 0.45 ms a request).
gc.freeze()
