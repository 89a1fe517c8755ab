"""Benchmark: users' files, time and memory against size, for each shape of file that once cost
far more than its size (hardening, round two, finding 3).

    python bench/files.py [--steps 4] [--skip-classify] [--uploads 4]

Each shape is made at ``--steps`` sizes up to the largest the limits allow
(``geo.userfiles.reading``), written to a temporary file, and read (``userdata.read_path``)
and classified (``classify.classify``) in a fresh process, so that each figure is that file's
alone: wall and CPU seconds of each step, and the process's peak memory (resident set) above
what it held before reading (its imports and the built layers). The shapes (``tests/shapes.py``):

* **folders**: KML, one placemark per folder (1,000 folders once took 33 s);
* **keys**: one GeoJSON feature with up to 1,000 property names (4,000 once took 16 s), and
  **sparse keys**: 50,000 features, each with one of up to 1,000 names (the answers' widest table);
* **columns**: CSV of 1,000 columns, rows up to 20 MB (40,000 columns once took 16 s);
* **vertices**: one line going back and forth over one segment (zig-zag: 5,000 vertices once
  took 3.4 GB) or over a million different long segments (fan), up to 1,000,000 vertices;
* **points**: one MultiPoint of up to 1,000,000 points (400,000 once took 32 s).

For each shape it prints the figures at each size, the seconds per MB at the largest size
over those at the smallest (linear: about 1, or below, as fixed costs spread), and PASS or
FAIL for the goals: read in under 5 s and under 500 MB at the largest size (the peak while
reading; the peak with classifying and writing the answers is shown beside it).

``--uploads 4`` also reads and classifies four of the largest files at once, in four threads
of one process, as four sessions of the app would on one server
(``classify.read_and_classify``, which hands the memory back when each ends): the process's
memory before, its peak (sampled every 20 ms) and after (goals: peak under 1 GB, after within
100 MB of before). This stands in for the server: the same work, in the same kind of threads,
without Streamlit's own copies of the uploaded bytes (four times 20 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import shapes  # noqa: E402

MAX_VERTICES = 1_000_000
MAX_FEATURES = 50_000
MAX_NAMES = 1_000


def _columns_rows(rows: int) -> tuple[bytes, str]:
    """CSV of lat, lon and 998 more columns, ``rows`` rows (2 KB each)."""
    extra = MAX_NAMES - 2
    header = ",".join(["lat", "lon"] + [f"c{i}" for i in range(extra)])
    row = ",".join(["50.1", "36.3"] + ["x"] * extra)
    return (header + "\n" + (row + "\n") * rows).encode(), "columns.csv"


#: shape -> (maker of n, the sizes n at the largest step, what n counts)
SHAPES = {
    "folders": (shapes.folders, MAX_FEATURES, "folders"),
    "keys": (shapes.keys, MAX_NAMES, "keys"),
    "sparse keys": (lambda n: shapes.sparse_keys(n, MAX_NAMES), MAX_FEATURES, "features"),
    "columns": (_columns_rows, 9_900, "rows of 1,000 columns"),
    "vertices (zig-zag)": (shapes.zigzag, MAX_VERTICES, "vertices"),
    "vertices (fan)": (shapes.fan, MAX_VERTICES, "vertices"),
    "points": (shapes.points, MAX_VERTICES, "points"),
}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from geo.engine import classify, layers, zones
from geo.userfiles import userdata
built = layers.layers(zones.Params())
classify.classify(userdata.read(b"lat,lon\\n50,36\\n", "warm.csv"), built)  # trees built
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
before = rss()
out = {{"before": before}}
t, c = time.perf_counter(), time.process_time()
try:
    found = userdata.read_path(sys.argv[1])
except userdata.UserDataError as err:
    out["refused"] = str(err)
    found = None
out["read_wall"], out["read_cpu"] = time.perf_counter() - t, time.process_time() - c
out["read_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if found is not None:
    out["features"] = len(found.features)
    if sys.argv[2] == "classify":
        t, c = time.perf_counter(), time.process_time()
        rows = classify.classify(found, built)
        classify.to_csv(rows, built)
        out["classify_wall"], out["classify_cpu"] = time.perf_counter() - t, time.process_time() - c
out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out))
"""


def measure(path: Path, classify: bool) -> dict:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD.format(root=str(ROOT)),
            str(path),
            "classify" if classify else "read",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if run.returncode != 0:
        return {"error": run.stderr.strip().splitlines()[-1] if run.stderr else run.returncode}
    return json.loads(run.stdout.strip().splitlines()[-1])


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f}"


def shape_table(name: str, steps: int, classify: bool, folder: Path) -> list[str]:
    make, largest, unit = SHAPES[name]
    sizes = sorted({max(1, largest * (k + 1) // steps) for k in range(steps)})
    lines, rows = [], []
    for n in sizes:
        data, file_name = make(n)
        path = folder / file_name
        path.write_bytes(data)
        del data
        got = measure(path, classify)
        size = path.stat().st_size
        path.unlink()
        rows.append((n, size, got))
        if "error" in got:
            lines.append(f"| {name} | {n:,} {unit} | {mb(size)} MB | failed: {got['error']} |")
            continue
        said = got.get("refused")
        read = f"{got['read_wall']:.2f} s ({got['read_cpu']:.2f} CPU)"
        cls = (
            f"{got['classify_wall']:.2f} s ({got['classify_cpu']:.2f} CPU)"
            if "classify_wall" in got
            else "–"
        )
        memory = (
            f"{mb(got['read_peak'] - got['before'])} MB; "
            f"{mb(got['peak'] - got['before'])} MB with classifying"
        )
        what = f"refused: {said}" if said else f"{got['features']:,} features"
        lines.append(
            f"| {name} | {n:,} {unit} | {mb(size)} MB | {read} | {cls} | {memory} | {what} |"
        )
    usable = [(n, size, got) for n, size, got in rows if "read_cpu" in got]
    if len(usable) >= 2:
        (_n0, s0, g0), (_n1, s1, g1) = usable[0], usable[-1]
        ratio = (g1["read_cpu"] / s1) / max(g0["read_cpu"] / s0, 1e-9)
        under_time = g1["read_wall"] < 5.0 or g1["read_cpu"] < 5.0
        under_memory = g1["read_peak"] - g1["before"] < 500e6
        verdict = "PASS" if under_time and under_memory else "FAIL"
        lines.append(
            f"| {name} | CPU s per MB, largest / smallest: {ratio:.2f} | | read < 5 s: "
            f"{'yes' if under_time else 'no'} | | < 500 MB: {'yes' if under_memory else 'no'} | "
            f"{verdict} |"
        )
    return lines


UPLOADS = """
import gc, json, resource, sys, threading, time
sys.path.insert(0, {root!r})
from geo.engine import classify, layers, zones
from geo.userfiles import userdata
from geo.core.budget import give_back_memory
built = layers.layers(zones.Params())
classify.classify(userdata.read(b"lat,lon\\n50,36\\n", "warm.csv"), built)
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
uploads = [(open(p, "rb").read(), p.rsplit("/", 1)[-1]) for p in sys.argv[1:]]
give_back_memory()
before, peak, done = rss(), [0], threading.Event()
def watch():
    while not done.is_set():
        peak[0] = max(peak[0], rss())
        time.sleep(0.02)
watcher = threading.Thread(target=watch)
watcher.start()
results = [None] * len(uploads)
def session(k):
    data, name = uploads[k]
    results[k] = classify.read_and_classify(data, name, built, seconds=classify.UPLOAD_SECONDS)
t = time.perf_counter()
threads = [threading.Thread(target=session, args=(k,)) for k in range(len(uploads))]
for thread in threads: thread.start()
for thread in threads: thread.join()
wall = time.perf_counter() - t
done.set(); watcher.join()
features = [len(r[0].features) for r in results]
del results
give_back_memory()
after = rss()
time.sleep(1.0)
print(json.dumps(dict(before=before, peak=peak[0], after=after, later=rss(), wall=wall, features=features)))
"""


def uploads_table(count: int, folder: Path) -> list[str]:
    makers = [
        shapes.points(MAX_VERTICES),
        _columns_rows(9_900),
        shapes.zigzag(MAX_VERTICES),
        shapes.folders(MAX_FEATURES),
    ]
    paths = []
    for k in range(count):
        data, name = makers[k % len(makers)]
        path = folder / f"upload{k}-{name}"
        path.write_bytes(data)
        paths.append(path)
    run = subprocess.run(
        [sys.executable, "-c", UPLOADS.format(root=str(ROOT)), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    sizes = ", ".join(
        f"{path.name.split('-', 1)[1]} {mb(path.stat().st_size)} MB" for path in paths
    )
    if run.returncode != 0:
        return [f"uploads failed: {run.stderr.strip()[-500:]}"]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    peak_ok, back_ok = got["peak"] < 1e9, got["later"] - got["before"] < 100e6
    return [
        f"{count} uploads at once ({sizes}), one thread each, {got['wall']:.1f} s:",
        f"  memory before {mb(got['before'])} MB, peak {mb(got['peak'])} MB "
        f"({'PASS' if peak_ok else 'FAIL'}: < 1,000 MB), after {mb(got['after'])} MB, "
        f"1 s later {mb(got['later'])} MB ({'PASS' if back_ok else 'FAIL'}: within 100 MB of before)",
        f"  features read: {got['features']}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=4, help="sizes per shape (default 4)")
    parser.add_argument("--skip-classify", action="store_true", help="time reading only")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shapes")
    parser.add_argument("--uploads", type=int, default=0, help="also N uploads at once")
    args = parser.parse_args()
    print(
        f"# bench/files.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| shape | size | file | read: wall (CPU) | classify and CSV: wall (CPU) | "
        "peak memory above the idle process: read; and classified | result |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name in [name for name in args.shapes.split(",") if name]:
            for line in shape_table(name, args.steps, not args.skip_classify, Path(folder)):
                print(line, flush=True)
        if args.uploads:
            print()
            for line in uploads_table(args.uploads, Path(folder)):
                print(line, flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
