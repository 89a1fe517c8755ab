"""Benchmark: data load, layer build, map build and export, and the size of what is written.

    python bench/bench.py [--repeat 5]

Prints the median of several runs of each step (seconds) and the sizes; the figures are
recorded in README.md. Machines differ and are noisy: compare the steps within one run
(the ratios), not against another machine's seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import data, export, facts, mapview, places, zones  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per step (median is reported)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat} is not a positive whole number, e.g. --repeat 5")

    rows = []
    t_load, reg = timed(lambda: data.load_region(), args.repeat)
    tracemalloc.start()  # a separate run: tracing slows what it measures
    data.load_region()
    _, peak_load = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("data load (read, verify, parse, project)", t_load))
    data.region()
    places.places()
    zones.nearest_on_border(reg, 50.0, 36.0)  # warm the border samples

    default = zones.Params()
    t_build, layers = timed(lambda: zones.build(default, reg), args.repeat)
    rows.append(("all layers, default R and D (warm data)", t_build))
    t_deep, _ = timed(lambda: zones.build(zones.Params(radius_m=100 * 1609.344, depth_m=300_000), reg), args.repeat)
    rows.append(("all layers, R = 100 mi, D = 300 km", t_deep))
    t_cached, _ = timed(lambda: zones.layers(default), args.repeat)
    rows.append(("all layers again (per-process cache)", t_cached))
    t_facts, _ = timed(lambda: facts.facts(layers), args.repeat)
    rows.append(("facts", t_facts))
    t_map, _ = timed(lambda: mapview.build_map(layers, "osm"), args.repeat)
    rows.append(("folium map build", t_map))
    t_inline, (page, _) = timed(lambda: export.map_html(layers, "osm"), args.repeat)
    rows.append(("standalone HTML (map build + inline render)", t_inline))
    t_cdn, (cdn_page, _) = timed(lambda: export.map_html(layers, "osm", cdn=True), args.repeat)
    rows.append(("CDN-linked HTML (map build + render)", t_cdn))
    t_geojson, geojson = timed(lambda: export.geojson_text(layers), args.repeat)
    rows.append(("GeoJSON export", t_geojson))

    width = max(len(name) for name, _ in rows)
    print(f"{'step':<{width}}  {'median s':>9}  {'x layers':>8}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:>9.3f}  {seconds / t_build:>8.2f}")
    print()
    print(f"data load peak Python memory: {peak_load / 2**20:.0f} MiB")
    print(f"standalone HTML: {len(page.encode()):,} bytes; CDN-linked HTML: {len(cdn_page.encode()):,} bytes")
    print(f"GeoJSON: {len(geojson.encode()):,} bytes")
    print(f"load + default layers, warm data: {t_build:.3f} s; cold: {t_load + t_build:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
