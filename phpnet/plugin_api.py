"""The plugin face: everything of core a phpnet plugin may use, and nothing else.

A plugin imports only this module and ``phpnet.hookspecs`` (its tests also
``phpnet.testing``); the import contract in ``pyproject.toml`` (import-linter,
run by ``make lint``) refuses any other core module, another plugin, or core
naming a plugin. Each name below has its one-line description after it;
docs/plugins.md shows them at work in the scaffold's module."""

from phpnet import access as _access
from phpnet import contrib as _contrib
from phpnet import extensions as _extensions
from phpnet import forms as _forms
from phpnet import hookspecs as _hookspecs
from phpnet import htmx as _htmx
from phpnet import security as _security
from phpnet import spreadsheet as _spreadsheet
from phpnet import templating as _templating
from phpnet import tenancy as _tenancy
from phpnet import timeutil as _timeutil
from phpnet.audit import models as _audit_models
from phpnet.audit import service as _audit
from phpnet.auth import models as _auth
from phpnet.database import worker_cache as _worker_cache
from phpnet.documents import models as _document_models
from phpnet.documents import service as _documents
from phpnet.documents import views as _document_views
from phpnet.kit import clock as _clock
from phpnet.kit import editing as _editing
from phpnet.kit import enums as _enums
from phpnet.kit import fields as _fields
from phpnet.kit import filters as _filters
from phpnet.kit import pages as _pages
from phpnet.kit import roles as _roles
from phpnet.plugin_system import contributions as _contributions
from phpnet.plugin_system import enablement as _enablement
from phpnet.plugin_system import permissions as _permissions
from phpnet.regions import models as _regions
from phpnet.regions import places as _places
from phpnet.teams import models as _teams

# --- Hooks and what they return --------------------------------------------------

hookimpl = _hookspecs.hookimpl
"""Marks a function of the plugin as the implementation of a hook."""
PluginInfo = _contrib.PluginInfo
"""Who the plugin is (``phpnet_plugin_info``): name, label, version, order, labels."""
Permission = _contrib.Permission
"""A permission of the plugin: name, what it allows, the roles that hold it."""
NavItem = _contrib.NavItem
"""A link in the regency's menu (shown to those whose permission opens it)."""
DashboardCard = _contrib.DashboardCard
"""A card of the regency dashboard, loaded lazily from an endpoint."""
ReadinessCheck = _contrib.ReadinessCheck
"""Something the province watches, judged for many regencies at once."""
CheckResult = _contrib.CheckResult
"""The result of a readiness check for one regency."""
SearchResult = _contrib.SearchResult
"""One hit of the regency search."""
ExportSpec = _contrib.ExportSpec
"""A table core streams as CSV on the regency's export page."""
Figure = _contrib.Figure
"""A chart of the province dashboard."""
Series = _contrib.Series
"""One series of bars of a Figure."""
WeeklyActivity = _contrib.WeeklyActivity
"""Activities per regency and week, for the province dashboard."""
Place = _contrib.Place
"""A place of a regency: the regency itself, a kecamatan, a desa or a TPS."""
RecordLink = _contrib.RecordLink
"""A record of one plugin another plugin points to (never a foreign key)."""
ProblemDraft = _contrib.ProblemDraft
"""A problem noticed in one plugin for another plugin to record."""

# --- Database and models ----------------------------------------------------------

db = _extensions.db
"""The database: ``db.Model``, ``db.session``, ``db.select`` (Flask-SQLAlchemy)."""
RegencyScoped = _tenancy.RegencyScoped
"""Mixin of a table whose rows each belong to one regency (read only there)."""
RegencyOrProvince = _tenancy.RegencyOrProvince
"""Mixin of a table whose rows belong to a regency or, without one, to the province."""
across_regencies = _tenancy.across_regencies
"""Context manager: the reads in it see every regency (say why, where used)."""
LabelledEnum = _enums.LabelledEnum
"""An enum whose members carry their Indonesian label (``Kind.X.label``)."""
enum_column = _enums.enum_column
"""``mapped_column`` of a LabelledEnum, stored as its values' text."""
enum_choices = _enums.enum_choices
"""A select's choices of a LabelledEnum, after an optional placeholder."""
utcnow = _timeutil.utcnow
"""Now as naive UTC, the form every timestamp is stored in."""
worker_cache = _worker_cache
"""A dict a worker keeps between requests until the database changes (or None)."""

# --- Regions, teams, accounts -----------------------------------------------------

Regency = _regions.Regency
"""A kabupaten or kota: the tenant (``regency.slug`` is its URL code)."""
Kecamatan = _regions.Kecamatan
"""A kecamatan of a regency: the area of one PPK."""
Desa = _regions.Desa
"""A desa or kelurahan of a kecamatan: the area of one PPS."""
Tps = _regions.Tps
"""A polling station (TPS) of a desa: the post of one KPPS."""
PROVINCE_NAME = _regions.PROVINCE_NAME
"""The province's name, Jawa Timur."""
dotted_code = _regions.dotted_code
"""The dotted Kemendagri code of a URL code ("3507" -> "35.07")."""
kecamatan_choices = _places.kecamatan_choices
"""A select's choices: the regency's kecamatan by name."""
desa_choices = _places.desa_choices
"""A select's choices: the desa/kelurahan of one kecamatan."""
tps_choices = _places.tps_choices
"""A select's choices: the TPS of one desa."""
fill_place_fields = _places.fill_place_fields
"""Fill a form's kecamatan/desa/tps selects, each refilling the next under htmx."""
Team = _teams.Team
"""A decree (SK) and the dispute team it appoints."""
TeamMember = _teams.TeamMember
"""A member of a regency's dispute team."""
Position = _teams.Position
"""A member's position in the team (ketua, anggota...)."""
OfficeUnit = _teams.OfficeUnit
"""The office unit a team member comes from."""
current_team = _teams.current_team
"""The team in force of a regency (newest decree), or None."""
User = _auth.User
"""An account of phpnet (``current_user`` is one)."""
Role = _auth.Role
"""The role of an account: admin, provinsi, operator, anggota, pemantau."""
READERS = _roles.READERS
"""Every role: whoever may read a regency."""
EDITORS = _roles.EDITORS
"""Admin, operator and anggota: those who record."""
MANAGERS = _roles.MANAGERS
"""Admin and operator: those who delete and configure."""

# --- The guard and other plugins --------------------------------------------------

requires = _permissions.requires
"""Decorator: the permission a view needs (per method where it differs); core enforces it."""
has_permission = _permissions.has_permission
"""Whether a user holds a permission in a regency (to show or hide a button)."""
may = _permissions.may
"""Whether the current user holds a permission here (also a template global)."""
current_account = _access.current_account
"""The signed-in account itself (not Flask-Login's proxy), to store on a row."""
scoped_or_404 = _access.scoped_or_404
"""The row of this id in the current regency, or 404."""
call_for_regency = _contributions.call_for_regency
"""(plugin, item) for what core and the enabled plugins return from a hook."""
enabled_plugins = _enablement.enabled_plugins
"""The names of the plugins enabled for a regency."""
regencies_enabled = _enablement.regencies_enabled
"""Those of some regencies where a plugin is enabled."""
plugin_label = _enablement.plugin_label
"""The label users know a plugin by."""
plugin_settings = _enablement.plugin_settings
"""The settings a plugin keeps for one regency."""
set_plugin_settings = _enablement.set_plugin_settings
"""Store a plugin's settings for one regency (the caller commits)."""
settings_of = _enablement.settings_of
"""A plugin's settings for many regencies, in one query."""

# --- Audit and documents ----------------------------------------------------------

record_action = _audit.record
"""Write an entry of the audit log for an action that is not a row change."""
AuditEntry = _audit_models.AuditEntry
"""One row of the append-only audit log (to show a record's history)."""
Document = _document_models.Document
"""An uploaded document (its bytes kept by core)."""
store_document = _documents.store_document
"""Check and store an upload, returning its Document (the caller commits)."""
send_document = _document_views.send_document
"""The safe download response of a Document."""
DocumentError = _documents.DocumentError
"""An upload refused; its message goes next to the field."""
allowed_hint = _documents.allowed_hint
"""The sentence naming the allowed document types and size."""
human_size = _documents.human_size
"""A size in bytes as people read it (1,2 MB)."""

# --- Forms, lists, pages ----------------------------------------------------------

Form = _forms.Form
"""The base form (Flask-WTF, CSRF, messages in Indonesian)."""
strip_text = _forms.strip_text
"""Field filter: trimmed text without NUL bytes or direction controls."""
IdField = _fields.IdField
"""A required select of database ids (choices set by the view)."""
OptionalIdField = _fields.OptionalIdField
"""A select of database ids that may stay on its placeholder."""
CheckboxListField = _fields.CheckboxListField
"""A list of checkboxes, one per choice."""
text_field = _fields.text_field
"""One trimmed line of text with a maximum length."""
long_text = _fields.long_text
"""A trimmed textarea with a maximum length."""
parse_id = _fields.parse_id
"""A submitted id as int (None if empty); ValueError if it cannot be an id."""
MAX_INTEGER = _fields.MAX_INTEGER
"""The largest number an INTEGER column holds."""
ListFilters = _filters.ListFilters
"""Base of a list's filters, read from the URL (``Filters.from_url()``)."""
EnumFilter = _filters.EnumFilter
"""A list filter on one member of a LabelledEnum."""
IdFilter = _filters.IdFilter
"""A list filter on one row of a select the view fills."""
DateFilter = _filters.DateFilter
"""A list filter on a date."""
SearchFilter = _filters.SearchFilter
"""A list filter on words to look for."""
check_range = _filters.check_range
"""Refuse a date range whose end is before its start."""
Page = _pages.Page
"""One page of a list's rows (the ``pagination`` macro draws its links)."""
paginate = _pages.paginate
"""Page n of a SELECT."""
form_answer = _editing.form_answer
"""A record form's answer (the form, 422 or 409 if stale), or None to save it."""
delete_answer = _editing.delete_answer
"""Delete with confirmation: the question on GET, the deletion on POST."""
sign_snapshot = _editing.sign_snapshot
"""The values an edit form was loaded with, signed, to trust them in a conflict."""
read_snapshot = _editing.read_snapshot
"""The values of a signed snapshot, or None."""

# --- Responses, dates, numbers, files ---------------------------------------------

render = _htmx.render
"""A template whole, or one block of it for htmx."""
render_invalid = _htmx.render_invalid
"""A form with its errors: 422, whole or its block."""
saved = _htmx.saved
"""After a change: htmx gets a block re-rendered, a plain post a flash and 303."""
done = _htmx.done
"""After a change: htmx gets a fragment or HX-Redirect, a plain post 303."""
is_htmx = _htmx.is_htmx
"""Whether htmx sent this request."""
is_partial = _htmx.is_partial
"""Whether htmx asked for a fragment (not a page to restore)."""
today_wib = _clock.today_wib
"""Today in Jawa Timur (tests move it with ``phpnet.testing.move_clock``)."""
now_wib = _clock.now_wib
"""Now in Jawa Timur, timezone-aware."""
as_wib = _timeutil.as_wib
"""A stored UTC moment in WIB."""
tanggal = _templating.tanggal
"""A date in Indonesian: 14 Februari 2024."""
waktu = _templating.waktu
"""A stored moment in WIB: 14 Februari 2024 13.05 WIB."""
angka = _templating.angka
"""A number with Indonesian thousands: 120.666."""
write_text = _spreadsheet.write_text
"""Write text to an XLSX cell so that it can never run as a formula."""
csv_text = _spreadsheet.csv_text
"""Text for a CSV cell that can never run as a formula."""
xlsx_response = _spreadsheet.xlsx_response
"""A one-sheet XLSX download: title, header, typed cells, formulas as text."""
safe_next = _security.safe_next
"""A local URL to return to, or None (never another site)."""

__all__ = [
    "EDITORS",
    "MANAGERS",
    "MAX_INTEGER",
    "PROVINCE_NAME",
    "READERS",
    "AuditEntry",
    "CheckResult",
    "CheckboxListField",
    "DashboardCard",
    "DateFilter",
    "Desa",
    "Document",
    "DocumentError",
    "EnumFilter",
    "ExportSpec",
    "Figure",
    "Form",
    "IdField",
    "IdFilter",
    "Kecamatan",
    "LabelledEnum",
    "ListFilters",
    "NavItem",
    "OfficeUnit",
    "OptionalIdField",
    "Page",
    "Permission",
    "Place",
    "PluginInfo",
    "Position",
    "ProblemDraft",
    "ReadinessCheck",
    "RecordLink",
    "Regency",
    "RegencyOrProvince",
    "RegencyScoped",
    "Role",
    "SearchFilter",
    "SearchResult",
    "Series",
    "Team",
    "TeamMember",
    "Tps",
    "User",
    "WeeklyActivity",
    "across_regencies",
    "allowed_hint",
    "angka",
    "as_wib",
    "call_for_regency",
    "check_range",
    "csv_text",
    "current_account",
    "current_team",
    "db",
    "delete_answer",
    "desa_choices",
    "done",
    "dotted_code",
    "enabled_plugins",
    "enum_choices",
    "enum_column",
    "fill_place_fields",
    "form_answer",
    "has_permission",
    "hookimpl",
    "human_size",
    "is_htmx",
    "is_partial",
    "kecamatan_choices",
    "long_text",
    "may",
    "now_wib",
    "paginate",
    "parse_id",
    "plugin_label",
    "plugin_settings",
    "read_snapshot",
    "record_action",
    "regencies_enabled",
    "render",
    "render_invalid",
    "requires",
    "safe_next",
    "saved",
    "scoped_or_404",
    "send_document",
    "set_plugin_settings",
    "settings_of",
    "sign_snapshot",
    "store_document",
    "strip_text",
    "tanggal",
    "text_field",
    "today_wib",
    "tps_choices",
    "utcnow",
    "waktu",
    "worker_cache",
    "write_text",
    "xlsx_response",
]
