"""phpnet's in-repo plugins: one folder each (see docs/plugins.md)."""
