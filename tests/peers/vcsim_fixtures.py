"""Pytest fixtures for this peer (registered as a plugin in tests/conftest.py)."""
