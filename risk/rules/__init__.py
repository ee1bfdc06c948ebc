"""Rule modules, one per family. The order that counts is the one in :mod:`risk.registry`."""
