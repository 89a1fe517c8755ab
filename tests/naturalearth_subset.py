"""The Natural Earth test fixture: ``tests/data/countries-10m-subset.json``, the four countries
of Natural Earth's ``countries-10m.json`` (npm ``world-atlas`` 2.0.2) as the package has them,
for ``tests/test_sources.py`` to measure independently of the engine and without the network.

It is a lossless subset of the TopoJSON file: the ``countries`` objects of Ukraine, Russia,
Belarus and Moldova (ISO 3166 numeric ids 804, 643, 112, 498) with their properties, every
arc they use copied verbatim (quantized, delta-encoded integers), renumbered in the order of
the original, and the original's quantization ``transform`` and ``bbox``; so it decodes to the
same coordinates as the package's file. The member ``subset_of`` names the file and its SHA-256.

    python -m tests.naturalearth_subset world-atlas-2.0.2.tgz   # npm pack world-atlas@2.0.2
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

PACKAGE_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"
MEMBER_SHA256 = "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79"
IDS = ("804", "643", "112", "498")
FIXTURE = Path(__file__).resolve().parent / "data" / "countries-10m-subset.json"


def _arcs_used(arcs, found: set[int]) -> None:
    if isinstance(arcs, int):
        found.add(arcs if arcs >= 0 else ~arcs)
    else:
        for item in arcs:
            _arcs_used(item, found)


def _renumbered(arcs, new: dict[int, int]):
    if isinstance(arcs, int):
        return new[arcs] if arcs >= 0 else ~new[~arcs]
    return [_renumbered(item, new) for item in arcs]


def subset(topology: dict, digest: str) -> dict:
    """The subset of a ``countries-10m.json`` topology (see the module's docstring)."""
    kept = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") in IDS]
    used: set[int] = set()
    for geometry in kept:
        _arcs_used(geometry["arcs"], used)
    order = sorted(used)
    new = {old: k for k, old in enumerate(order)}
    return {
        "type": "Topology",
        "subset_of": {"package": "world-atlas@2.0.2", "file": MEMBER, "sha256": digest},
        "bbox": topology["bbox"],
        "transform": topology["transform"],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [{**g, "arcs": _renumbered(g["arcs"], new)} for g in kept],
            }
        },
        "arcs": [topology["arcs"][old] for old in order],
    }


def main(tarball: str) -> None:
    payload = Path(tarball).read_bytes()
    if hashlib.sha256(payload).hexdigest() != PACKAGE_SHA256:
        raise SystemExit(f"{tarball} is not world-atlas-2.0.2.tgz (SHA-256 differs)")
    with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
        member = tar.extractfile(MEMBER).read()
    digest = hashlib.sha256(member).hexdigest()
    if digest != MEMBER_SHA256:
        raise SystemExit(f"{MEMBER} has SHA-256 {digest}, not {MEMBER_SHA256}")
    text = json.dumps(subset(json.loads(member), digest), separators=(",", ":"))
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE} ({len(text)} characters)")


if __name__ == "__main__":
    main(*sys.argv[1:])
