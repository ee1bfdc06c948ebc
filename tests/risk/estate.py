"""A varied small estate for report tests: clean VMs of each provider with the fail
patches of the rule fixtures applied, a few per VM, validated through the model."""

from __future__ import annotations

import copy
import random

from factory.model import Inventory
from factory.target import MappingFile, TargetProfile
from tests.risk.builders import apply, clean, mapping_doc, profile_doc
from tests.risk.rule_cases import CASES


def estate(n_per_provider: int = 30, seed: int = 4) -> tuple[list[Inventory], TargetProfile, MappingFile]:
    rnd = random.Random(seed)
    inventories = []
    for provider, clusters in (("vsphere", ["Prod", "Dev", "DMZ"]), ("ovirt", ["Default", "Legacy"])):
        fails = [c for c in CASES if c.provider == provider and c.expect == "fail" and "others.+" not in c.patches
                 and "profile" not in c.patches and "mapping" not in c.patches
                 and not any(k.startswith(("profile.", "mapping.")) for k in c.patches)]  # fmt: skip
        base = clean(provider)
        inv = copy.deepcopy(base["inv"])
        inv["clusters"] = [dict(base["inv"]["clusters"][0], id=f"c-{i}", name=name) for i, name in enumerate(clusters)]
        inv["vms"] = []
        for i in range(n_per_provider):
            doc = clean(provider)
            for case in rnd.sample(fails, k=rnd.choice([0, 0, 1, 2, 3])):
                for path, value in case.patches.items():
                    if not path.startswith("inv."):
                        apply(doc, path, value)
            vm = doc["vm"]
            vm["id"] = f"{vm['id']}-{i}"
            vm["name"] = f"{vm['name']}-{i}" if rnd.random() > 0.1 else vm["name"] + f"_X{i}"
            vm["cluster"] = f"c-{i % len(clusters)}"
            for d in vm["disks"]:
                if d.get("file"):
                    d["file"] = d["file"].replace(".vmdk", f"-{i}.vmdk")
            inv["vms"].append(vm)
        inventories.append(Inventory.model_validate(inv))
    return inventories, TargetProfile.model_validate(profile_doc()), MappingFile.model_validate(mapping_doc())
