"""KubeVirt VirtualMachine + CDI DataVolume manifests validate against the shared schemas."""

from __future__ import annotations

import copy

import yaml

from mappings.kubevirt import ConvertedDisk, VmSpec, dump, manifests, validate
from tests.conftest import SCHEMAS

KUBEVIRT = SCHEMAS / "kubevirt"


def _vm(**kw) -> VmSpec:
    disks = [
        ConvertedDisk(
            "2000", "https://disks.example/wave-01/web_01/2000.raw", 10 * 2**30, "fast", "sha256:" + "a" * 64
        ),
        ConvertedDisk("2001", "https://disks.example/wave-01/web_01/2001.raw", 3 * 2**20 + 1),
    ]
    return VmSpec(name="Web_01", namespace="wave-01", cpus=2, memory_mib=4096, disks=disks, **kw)


def test_every_object_is_valid_and_names_follow_dns1123() -> None:
    for firmware in ("bios", "efi"):
        objects = manifests(_vm(firmware=firmware))
        assert [o["kind"] for o in objects] == ["DataVolume", "DataVolume", "VirtualMachine"]
        for obj in objects:
            assert validate(obj, KUBEVIRT) == []
        vm = objects[-1]
        assert vm["metadata"]["name"] == "web-01"
        volumes = vm["spec"]["template"]["spec"]["volumes"]
        assert [v["dataVolume"]["name"] for v in volumes] == [o["metadata"]["name"] for o in objects[:2]]
        assert objects[1]["spec"]["storage"]["resources"]["requests"]["storage"] == "4Mi"  # rounded up
        assert objects[0]["spec"]["source"]["http"]["url"].endswith("/2000.raw")
    assert list(yaml.safe_load_all(dump(objects))) == objects


def test_validation_catches_schema_errors() -> None:
    dv, _, vm = manifests(_vm())
    bad_vm = copy.deepcopy(vm)
    del bad_vm["spec"]["template"]["spec"]["domain"]["devices"]
    assert any("devices" in p for p in validate(bad_vm, KUBEVIRT))
    bad_dv = copy.deepcopy(dv)
    bad_dv["spec"]["contentType"] = 42
    assert any("contentType" in p for p in validate(bad_dv, KUBEVIRT))
