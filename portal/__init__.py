"""Pages and commands that compose several apps: role home pages, demo data (docs/architecture.md)."""
