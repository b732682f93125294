"""The bimtek plugin's part of the authorization matrix (tests/test_authorization.py):
the objects its routes reach in each regency, and a valid request for each
route (how each route is guarded, the matrix reads from its ``@requires``)."""

import io
from datetime import datetime
from typing import Any

from phpnet.plugin_api import Regency, db
from plugins.bimtek.models import Level, Material, Participant, Session, Speaker, Target

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(regency: Regency, core: dict[str, Any]) -> dict[str, Any]:
    """A session for the PPK of the world's kecamatan with a speaker, a
    material and one participant."""
    session = Session(
        regency_id=regency.id, title=f"Bimtek matriks {regency.slug}", topic="Saksi",
        starts_at=datetime(2024, 1, 20, 8, 30), venue="Aula",
    )  # fmt: skip
    session.targets.append(
        Target(regency_id=regency.id, level=Level.PPK, kecamatan_id=core["kecamatan_id"])
    )
    session.speakers.append(Speaker(regency_id=regency.id, name="Narasumber Matriks"))
    session.materials.append(
        Material(regency_id=regency.id, document_id=core["document_id"], title="Materi")
    )
    session.participants.append(
        Participant(
            regency_id=regency.id,
            name="Peserta Matriks",
            level=Level.PPK,
            kecamatan_id=core["kecamatan_id"],
        )
    )
    db.session.add(session)
    db.session.flush()
    return {
        "session_id": session.id, "target_id": session.targets[0].id,
        "speaker_id": session.speakers[0].id, "material_id": session.materials[0].id,
        "participant_id": session.participants[0].id,
    }  # fmt: skip


def query(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    return {}


def payload(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    session = {
        "title": "Bimtek PPK", "topic": "Kejadian khusus", "held_on": "2024-02-01",
        "starts_at": "09:00", "mode": "luring", "venue": "Aula", "status": "direncanakan",
    }  # fmt: skip
    payloads: dict[str, dict[str, Any]] = {
        "bimtek.new_session": session,
        "bimtek.edit_session": {**session, "version": "1"},
        "bimtek.targets": {"level": "pps", "kecamatan": ids["kecamatan_id"]},
        "bimtek.add_speaker": {"name": "Narasumber Luar", "institution": "Bawaslu"},
        "bimtek.add_material": {
            "title": "Materi baru",
            "material_file": (io.BytesIO(PDF), "materi.pdf"),
        },
        "bimtek.add_participant": {
            "name": "Peserta Baru",
            "level": "ppk",
            "kecamatan": ids["kecamatan_id"],
            "position": "anggota",
        },
        "bimtek.paste_participants": {"rows": "Nama\tTingkat\tKecamatan\n"},
        "bimtek.import_participants": {"file": (io.BytesIO(b"bukan xlsx"), "peserta.xlsx")},
        "bimtek.set_attendance": {"hadir": "1"},
        "bimtek.scores": {f"pre-{ids['participant_id']}": "60"},
        "bimtek.settings": {"attendance_threshold": "80"},
    }
    return payloads.get(endpoint, {})
