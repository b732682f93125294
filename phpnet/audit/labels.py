"""What the audit log's actions and object types are called on its pages:
core's names here, each plugin's own in its ``PluginInfo`` (``action_labels``,
``record_labels``)."""

from phpnet.plugin_system.calling import registry

ACTION_LABELS = {
    "create": "Tambah",
    "update": "Ubah",
    "delete": "Hapus",
    "login": "Masuk",
    "logout": "Keluar",
    "login_failed": "Gagal masuk",
    "regions_load": "Muat wilayah",
    "tps_import": "Impor TPS",
    "tps_generate": "Bangkitkan TPS",
}
OBJECT_LABELS = {
    "user_account": "Akun pengguna",
    "user_session": "Sesi masuk",
    "login_attempt": "Percobaan masuk",
    "regency": "Kabupaten/kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa/kelurahan",
    "tps": "TPS",
    "wilayah": "Wilayah",
    "team": "Tim Penyelesaian PHP (SK)",
    "team_member": "Anggota tim",
    "document": "Dokumen",
    "province_event": "Kalender pemilu",
    "province_leave_day": "Cuti bersama",
    "regency_plugin": "Modul kabupaten/kota",
}


def action_label(action: str) -> str:
    return (
        _named_by_plugin("action_labels", action)
        or ACTION_LABELS.get(action)
        or action.replace("_", " ").capitalize()
    )


def object_label(object_type: str) -> str:
    """The name of a table's records; a table nobody named (a plugin since
    removed) by its name made readable."""
    return (
        _named_by_plugin("record_labels", object_type)
        or OBJECT_LABELS.get(object_type)
        or object_type.replace("_", " ").capitalize()
    )


def _named_by_plugin(labels: str, key: str) -> str | None:
    for info in registry().infos.values():
        if key in getattr(info, labels):
            return getattr(info, labels)[key]
    return None
