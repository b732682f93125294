"""Who usually holds a module's permissions, by the roles of phpnet: every
role that may read a regency, those who record, those who manage."""

from phpnet.auth.models import Role

READERS = frozenset(Role)
"""Every role: inside a regency, whoever may read it."""
EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.ANGGOTA})
"""Those who record and change: the regency's operator and team members, and the admin."""
MANAGERS = frozenset({Role.ADMIN, Role.OPERATOR})
"""Those who delete, restore and configure: the regency's operator and the admin."""
