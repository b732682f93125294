"""A plugin that fails to import: phpnet must log it, show it to the admin
as failed, and run without it."""

raise ImportError("modul rusak untuk pengujian")
