"""Every core model, imported in one place so that Alembic and the schema
test see the whole core schema."""

from phpnet.audit.models import AuditEntry
from phpnet.auth.models import LoginAttempt, Role, User, UserSession
from phpnet.documents.models import Document
from phpnet.plugin_system.models import RegencyPlugin
from phpnet.province.models import ElectionEvent, LeaveDay
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember

__all__ = [
    "AuditEntry",
    "Desa",
    "Document",
    "ElectionEvent",
    "Kecamatan",
    "LeaveDay",
    "LoginAttempt",
    "OfficeUnit",
    "Position",
    "Regency",
    "RegencyPlugin",
    "Role",
    "Team",
    "TeamMember",
    "Tps",
    "User",
    "UserSession",
]
