"""Domain-free pieces shared by several apps: the ground floor (docs/architecture.md)."""
