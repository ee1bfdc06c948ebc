"""Mappings and MTV custom resources: network/storage map resolution, pure CR builders, the
per-wave GitOps tree, CRD schema validation, and server-side apply."""

from mappings.gitops import EmitOptions, Tree, build_tree, write_tree
from mappings.schema import validate

__all__ = ["EmitOptions", "Tree", "build_tree", "validate", "write_tree"]
