"""The kit: the small pieces every module needs once (an enum column, today
in WIB, id fields, list filters bound to the URL, pages, role sets, the htmx
"saved" answer), used by core and offered to plugins by ``phpnet.plugin_api``."""
