"""Pages and commands that compose several apps (docs/architecture.md).

The role home pages, the demo data builders and ``seed_demo``.
"""
