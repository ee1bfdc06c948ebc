"""MTV bundle: emit the wave plan as Forklift custom resources (a GitOps tree, one folder per
wave) and download it as a .tar.gz or .zip archive to commit to Git or `oc apply -k`."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from mfactory.api.analysis import load_mapping, load_profile
from mfactory.api.deps import Operator, Svc, Viewer
from mfactory.api.errors import Conflict
from mfactory.api.routes.waves import _doc
from mfactory.api.services import Services

router = APIRouter(prefix="/api/v1/mtv", tags=["mtv"])

DNS1123 = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"


class EmitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    namespace: str = Field("openshift-mtv", pattern=DNS1123, max_length=63, description="MTV's namespace")
    destination_provider: str = Field("host", pattern=DNS1123, max_length=63)
    warm: bool = Field(False, description="Warm migration Plans (precopies with CBT)")


class EmitResult(BaseModel):
    waves: list[str]
    files: list[str]
    left_out: list[dict[str, Any]]


def tree_dir(svc: Services) -> Path:
    return svc.settings.data_dir / "mtv" / "tree"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@router.post("/emit", response_model=EmitResult, summary="Emit the plan as MTV CRs (validated against the CRDs)")
def emit(svc: Svc, _role: Operator, body: EmitRequest | None = None) -> EmitResult:
    from mappings import EmitOptions, build_tree, write_tree

    body = body or EmitRequest()
    doc = _doc(svc)
    profile, mapping = load_profile(svc), load_mapping(svc)
    if profile is None or mapping is None:
        missing = " and ".join(n for n, v in (("target profile", profile), ("mapping", mapping)) if v is None)
        raise Conflict(f"no {missing} yet", hint="PUT /api/v1/target/profile and /api/v1/target/mapping first")
    options = EmitOptions(namespace=body.namespace, destination_provider=body.destination_provider, warm=body.warm)
    tree = build_tree(doc, svc.store.inventories(), profile, mapping, options)
    out = tree_dir(svc)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_tree(tree, out)
    waves = [w.name for w in doc.waves]
    return EmitResult(waves=waves, files=_files(out), left_out=tree.left_out)


@router.get("/files", response_model=list[str], summary="Files of the emitted tree")
def files(svc: Svc, _role: Viewer) -> list[str]:
    return _files(_tree(svc))


def _tree(svc: Services) -> Path:
    root = tree_dir(svc)
    if not (root / "kustomization.yaml").is_file():
        raise Conflict("no MTV bundle emitted yet", hint="POST /api/v1/mtv/emit first")
    return root


@router.get(
    "/bundle",
    summary="Download the emitted tree as an archive",
    response_class=Response,
    responses={200: {"content": {"application/gzip": {}, "application/zip": {}}}},
)
def bundle(svc: Svc, _role: Viewer, format: Literal["tar.gz", "zip"] = Query("tar.gz")) -> Response:
    root = _tree(svc)
    buffer = io.BytesIO()
    names = _files(root)
    if format == "zip":
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                archive.write(root / name, f"mtv/{name}")
        media = "application/zip"
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name in names:
                archive.add(root / name, f"mtv/{name}", recursive=False)
        media = "application/gzip"
    return Response(
        buffer.getvalue(), media_type=media, headers={"Content-Disposition": f'attachment; filename="mtv.{format}"'}
    )
