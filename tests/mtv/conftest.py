"""Fixtures for the MTV emitter: an estate in the store, its waves, a profile and a mapping."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from factory.model import Nic
from factory.store import Store
from factory.waves import PlanSettings, plan_waves
from tests.peers.k8s_api_double import k8s_api  # noqa: F401 - the fixture
from tests.waves.estate import ovirt_inventory, vsphere_inventory, vsphere_vm

PROFILE = """
namespace: migrated
storageClasses:
  - {name: ceph-rbd, accessModes: [ReadWriteMany], volumeModes: [Block], default: true}
  - {name: nfs, accessModes: [ReadWriteMany]}
networks:
  - {name: db-net, namespace: migrated}
"""

MAPPING = """
networks:
  - {source: {name: VM Network}, destination: {type: pod}}
  - {source: {id: dvportgroup-2}, destination: {type: multus, name: db-net, namespace: migrated}}
  - {source: {name: ovirtmgmt}, destination: {type: pod}}
storage:
  - {source: {name: LocalDS_0}, destination: {storageClass: ceph-rbd, volumeMode: Block, accessMode: ReadWriteMany}}
  - {source: {name: data0}, destination: {storageClass: nfs}}
  - {source: {id: sd-1}, destination: {storageClass: ceph-rbd}}
"""


@dataclass
class Estate:
    waves: Path
    profile: Path
    mapping: Path
    folder: Path


def build_estate(store: Store, folder: Path, *, vsphere: int = 12, ovirt: int = 6, **settings) -> Estate:
    vms = [vsphere_vm("vc1", i, host=i % 3, labels={"app": f"app{i % 4}"}) for i in range(vsphere)]
    # A VM with a name that is not DNS-1123, one on two networks (pod + multus), one with two pod NICs.
    vms.append(vsphere_vm("vc1", 500, name="SQL_Server 01"))
    two = [Nic(key="4000", network="net-1"), Nic(key="4001", network="dvportgroup-2", model="vmxnet3")]
    vms.append(vsphere_vm("vc1", 501, name="db-01", nics=two))
    dup = [Nic(key="4000", network="net-1"), Nic(key="4001", network="net-1")]
    vms.append(vsphere_vm("vc1", 502, name="twin-pod", nics=dup))
    store.replace_snapshot(vsphere_inventory("vc1", vms, hosts=3))
    store.replace_snapshot(ovirt_inventory("rhv-east", ovirt))
    config = {"pilot_size": 2, "max_vms_per_plan": 4, "max_vms_per_wave": 8, "group_by": ["app"]} | settings
    doc = plan_waves(store.inventories(), blocked={}, settings=PlanSettings(**config))
    waves = folder / "waves.json"
    waves.write_text(json.dumps(doc, indent=1))
    profile, mapping = folder / "profile.yaml", folder / "mapping.yaml"
    profile.write_text(PROFILE)
    mapping.write_text(MAPPING)
    return Estate(waves, profile, mapping, folder)


@pytest.fixture
def estate(store: Store, tmp_path: Path) -> Estate:
    return build_estate(store, tmp_path)
