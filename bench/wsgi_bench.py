"""phpnet as the benchmark serves it: the real app (as wsgi.py makes it),
plus the baseline page, which exists only here."""

import gc

from baseline import bp
from phpnet import create_app

app = create_app()
app.register_blueprint(bp)
gc.freeze()  # as wsgi.py does
