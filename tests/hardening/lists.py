"""The list and search routes whose query parameters the hardening suite
attacks (fuzzing, huge numbers), and the parameter names it sends."""

from tests.hardening.conftest import Route, every_route
from tests.route_world import PLUGIN_POLICY

PARAMETERS = [
    "q", "sort", "order", "dir", "direction", "page", "per_page", "halaman", "kabkota", "aksi",
    "objek", "pelaku", "dari", "sampai", "role", "regency", "status", "kode", "stage",
    "category_id", "race", "kecamatan_id", "desa_id", "tps_id", "date_from", "date_to",
    "person_id",
]  # fmt: skip
LIST_ENDPOINTS = {
    "regions.search", "regions.regency", "regions.kecamatan", "regions.desa",
    "audit.province_log", "audit.regency_log", "users.index", "dashboard.search",
    "dashboard.readiness", "teams.index",
}  # fmt: skip


def is_plugin_endpoint(endpoint: str) -> bool:
    """A route of a plugin with its part of the authorization matrix."""
    return endpoint in PLUGIN_POLICY


def fuzzed_routes() -> list[Route]:
    """The core list/search routes and every GET route of every plugin."""
    return [
        route
        for route in every_route()
        if "GET" in route.methods
        and (route.endpoint in LIST_ENDPOINTS or is_plugin_endpoint(route.endpoint))
        and "filename" not in route.arguments
    ]
