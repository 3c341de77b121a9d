"""Deterministic synthetic demo data: organisations, users, posts and casework (``seed_demo``)."""
