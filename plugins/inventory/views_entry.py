"""Inventory views: entry."""

from plugins.inventory.blueprint import bp  # noqa: F401 - routes are added to it
