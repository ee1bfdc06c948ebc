"""Write the demo's sample estate: one vSphere-like and one RHV-like inventory as JSON.

The demo ships the JSON this script writes (``mfactory/demo/estate/*.json``) so that
``mfactory demo`` needs no generator at run time; the script stays in the repository so
the estate can be read, changed and regenerated::

    python -m mfactory.demo.estate_build

The estate is deterministic and small (about 40 VMs) but realistic: a three-tier shop
application grouped by an ``app`` label, a clustered database pair with a shared disk, a
legacy VM on a physical RDM, a build agent with nested virtualisation, Windows with EFI,
secure boot and a vTPM, snapshots, ISO-backed CD-ROMs, a PCI passthrough device, names
that are not DNS-1123, and on RHV direct LUNs, CPU pinning, passthrough vNIC profiles and
a VM with illegal images.
"""

from pathlib import Path

from mfactory.demo.estate_rhv import ovirt
from mfactory.demo.estate_vsphere import vsphere

ESTATE = Path(__file__).with_name("estate")


def main() -> None:
    ESTATE.mkdir(exist_ok=True)
    for inventory in (vsphere(), ovirt()):
        path = ESTATE / f"{inventory.source.name}.json"
        path.write_text(inventory.model_dump_json(indent=1, exclude_defaults=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(inventory.vms)} VMs)")


if __name__ == "__main__":
    main()
