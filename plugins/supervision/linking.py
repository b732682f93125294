"""A finding and the records other plugins keep about the same place (e.g.
the DIM entries of a TPS), through hooks only: this plugin never imports
another. A link is stored as (plugin, record id, label) on the finding.

- ``phpnet_records_at`` offers the records at the finding's place to link to;
- ``phpnet_problem_form`` gives the URL of a prefilled form that records the
  finding as a new record ("Catat sebagai entri DIM");
- after that form is saved, the other plugin calls ``phpnet_record_created``
  with the finding's token, and :func:`record_created` links the finding.

When the other plugin is disabled for the regency, none of its hooks is
called: its button and links simply do not appear."""

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from phpnet.plugin_api import (
    Place,
    ProblemDraft,
    RecordLink,
    Regency,
    call_for_regency,
    db,
    enabled_plugins,
    has_permission,
    parse_id,
    plugin_label,
)
from plugins.supervision.blueprint import EDIT, NAME
from plugins.supervision.models import Body, Finding

SOURCE_PREFIX = f"{NAME}:finding:"


def source_of(finding: Finding) -> str:
    return f"{SOURCE_PREFIX}{finding.id}"


def place_of(body: Body | None) -> Place:
    """The place of a finding: its body's, or the regency itself."""
    if body is None:
        return Place()
    return Place(body.kecamatan_id, body.desa_id, body.tps_id)


def records_at(regency: Regency, place: Place) -> list[RecordLink]:
    """Other plugins' records about exactly ``place``."""
    found = call_for_regency("phpnet_records_at", regency, skip_errors=True, place=place)
    return [record for plugin, record in found if plugin != NAME]


@dataclass(frozen=True)
class ProblemForm:
    label: str  # the other plugin's label, e.g. "Inventarisasi Masalah"
    url: str


def problem_forms(regency: Regency, finding: Finding) -> list[ProblemForm]:
    """Forms of other plugins that record ``finding`` as one of their records."""
    activity = finding.activity
    draft = ProblemDraft(
        place=place_of(finding.body),
        description=finding.description,
        source=source_of(finding),
        return_url=url_for("supervision.activity", activity_id=activity.id)
        + f"#temuan-{finding.id}",
        occurred_on=activity.started_on,
    )
    return [
        ProblemForm(plugin_label(plugin), url)
        for plugin, url in call_for_regency(
            "phpnet_problem_form", regency, skip_errors=True, draft=draft
        )
        if plugin != NAME
    ]


@dataclass(frozen=True)
class FindingLinks:
    """What the finding's page shows about links: the stored link (with its
    URL when the record is still found at the place), records that could be
    linked, and forms that create one."""

    linked: RecordLink | None
    candidates: list[RecordLink]
    forms: list[ProblemForm]


def links_of(regency: Regency, finding: Finding, *, can_edit: bool) -> FindingLinks:
    enabled = enabled_plugins(regency)
    if finding.link_plugin is not None and finding.link_plugin not in enabled:
        return FindingLinks(None, [], [])  # the linked plugin is off here: nothing shows
    records = records_at(regency, place_of(finding.body))
    if finding.link_plugin is not None:
        assert finding.link_record_id is not None
        url = next(
            (
                r.url
                for r in records
                if (r.plugin, r.record_id) == (finding.link_plugin, finding.link_record_id)
            ),
            "",
        )
        label = finding.link_label or f"{finding.link_plugin} #{finding.link_record_id}"
        return FindingLinks(
            RecordLink(finding.link_plugin, finding.link_record_id, label, url), [], []
        )
    if not can_edit:
        return FindingLinks(None, [], [])
    return FindingLinks(None, records, problem_forms(regency, finding))


def link(finding: Finding, record: RecordLink) -> None:
    finding.link_plugin = record.plugin
    finding.link_record_id = record.record_id
    finding.link_label = record.label[:200]


def record_created(regency: Regency, source: str, record: RecordLink) -> None:
    """Link the finding ``source`` names to the record just created from it,
    in the caller's transaction; tokens of other plugins are ignored, and so
    are findings of another regency or a user who may not edit here."""
    if not source.startswith(SOURCE_PREFIX):
        return
    try:
        finding_id = parse_id(source.removeprefix(SOURCE_PREFIX))
    except ValueError:
        return
    if finding_id is None or not has_permission(current_user, regency, EDIT):
        return
    finding = db.session.execute(
        db.select(Finding).filter_by(id=finding_id, regency_id=regency.id)
    ).scalar_one_or_none()
    if finding is not None:
        link(finding, record)
