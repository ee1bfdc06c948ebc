"""Dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mfactory.api.auth import Role, operator, viewer
from mfactory.api.services import Services, services

Svc = Annotated[Services, Depends(services)]
Viewer = Annotated[Role, Depends(viewer)]
Operator = Annotated[Role, Depends(operator)]
