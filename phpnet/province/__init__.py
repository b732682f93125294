"""The province's readiness dashboard across the 38 KPU Kabupaten/Kota: the
readiness matrix, figures and weekly activity that plugins contribute, the
election calendar with working-day countdowns, the feed of recent changes,
and reports (XLSX, print view, a one-page summary per regency).

Core, not a plugin: it lives at ``/provinsi/`` for admin and provinsi users."""
