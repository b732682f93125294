"""Peer: a Flask-Admin list view of the DIM entries, on phpnet's own models
and database file (PHPNET_DATABASE_FILE), configured the way its docs
recommend for a list like this one: the same columns as the DIM list, filters
on regency, status and deletion, newest first, related rows selected in the
same query. No login: Flask-Admin leaves that to the application.

    gunicorn -w 2 --chdir bench/peers flask_admin_app:app
"""

import os

from flask import Flask
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView

from phpnet.extensions import db
from plugins.inventory.models import Entry

PAGE_SIZE = 50


class EntryView(ModelView):
    can_create = can_edit = can_delete = False
    page_size = PAGE_SIZE
    named_filter_urls = True
    column_list = (
        "occurred_at", "kecamatan.name", "desa.name", "tps.number", "race", "dapil", "stage",
        "category.name", "description", "status", "person_in_charge.name",
    )  # fmt: skip
    column_select_related_list = (
        Entry.kecamatan, Entry.desa, Entry.tps, Entry.category, Entry.person_in_charge,
    )  # fmt: skip
    column_filters = ("regency_id", "status", "stage", "deleted_at")
    column_default_sort = ("occurred_at", True)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.environ['PHPNET_DATABASE_FILE']}"
    app.config["SECRET_KEY"] = "flask-admin-peer"
    db.init_app(app)
    admin = Admin(app, name="DIM (Flask-Admin)")
    admin.add_view(EntryView(Entry, db, endpoint="entry"))
    return app


app = create_app()
