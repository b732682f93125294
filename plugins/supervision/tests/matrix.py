"""The supervision plugin's part of the authorization matrix
(tests/test_authorization.py): how each of its routes is guarded, the objects
it needs in each regency, and a valid request for each route."""

import io
from datetime import date
from typing import Any

from phpnet.plugin_api import Regency, db
from plugins.supervision.models import (
    Activity,
    ActivityDocument,
    ActivityMember,
    Body,
    BodyLevel,
    DocumentKind,
    Finding,
    FollowUp,
    Kind,
    Severity,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STARTED = date(2024, 3, 1)


def build(regency: Regency, core: dict[str, Any]) -> dict[str, Any]:
    """An activity at a PPK and a PPS, with its member, a finding, an open
    follow-up and a document."""
    activity = Activity(
        regency_id=regency.id, kind=Kind.SUPERVISI, started_on=STARTED, ended_on=STARTED,
        purpose=f"Kegiatan matriks {regency.slug}",
    )  # fmt: skip
    activity.bodies += [
        Body(regency_id=regency.id, level=BodyLevel.PPK, kecamatan_id=core["kecamatan_id"]),
        Body(
            regency_id=regency.id,
            level=BodyLevel.PPS,
            kecamatan_id=core["kecamatan_id"],
            desa_id=core["desa_id"],
        ),
    ]
    activity.members.append(ActivityMember(regency_id=regency.id, team_member_id=core["member_id"]))
    finding = Finding(regency_id=regency.id, description="Temuan matriks", severity=Severity.RENDAH)
    activity.findings.append(finding)
    follow_up = FollowUp(
        regency_id=regency.id, action="Tindak lanjut matriks", owner_id=core["member_id"],
        due_on=STARTED, finding=finding,
    )  # fmt: skip
    activity.follow_ups.append(follow_up)
    attachment = ActivityDocument(
        regency_id=regency.id, document_id=core["document_id"], kind=DocumentKind.SURAT
    )
    activity.documents.append(attachment)
    db.session.add(activity)
    db.session.flush()
    return {
        "activity_id": activity.id, "body_id": activity.bodies[1].id, "finding_id": finding.id,
        "follow_up_id": follow_up.id, "attachment_id": attachment.id,
    }  # fmt: skip


def query(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    if endpoint == "supervision.body_choices":
        return {"kecamatan": ids["kecamatan_id"]}
    if endpoint == "supervision.tps_choices":
        return {"tps_desa": ids["desa_id"]}
    return {}


def payload(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    activity = {
        "kind": "supervisi", "started_on": STARTED.isoformat(), "purpose": "Supervisi matriks",
        "members": [str(ids["member_id"])], "kecamatan": str(ids["kecamatan_id"]), "ppk": "1",
    }  # fmt: skip
    payloads: dict[str, dict[str, Any]] = {
        "supervision.new_activity": activity,
        "supervision.edit_activity": {**activity, "version": "1"},
        "supervision.add_bodies": {
            "kecamatan": str(ids["kecamatan_id"]),
            "tps_desa": str(ids["desa_id"]),
            "tps": [str(ids["tps_id"])],
        },
        "supervision.add_finding": {"description": "Temuan baru", "severity": "tinggi"},
        "supervision.link_finding": {"plugin": "inventory", "record_id": "1"},
        "supervision.add_follow_up": {
            "action": "Tindak lanjut baru",
            "owner": str(ids["member_id"]),
            "due_on": "2024-03-15",
        },
        "supervision.complete_follow_up": {
            "done_on": STARTED.isoformat(),
            "version": "1",
            "evidence_file": (io.BytesIO(PDF), "bukti.pdf"),
        },
        "supervision.add_document": {
            "kind": "foto",
            "document_file": (io.BytesIO(PDF), "foto-kegiatan.pdf"),
        },
    }
    return payloads.get(endpoint, {})
