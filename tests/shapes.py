"""The shapes of file that once cost far more than their size (hardening, round two, finding 3),
made at any size: for the regression tests and for ``bench/files.py``.

Each maker takes n (folders, keys, columns, vertices or points) and gives (bytes, file name).
"""

from __future__ import annotations

import json


def folders(n: int) -> tuple[bytes, str]:
    """KML with n folders of one placemark each (1,000: 127 KB, once 33 s)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">']
    parts.append("<Document>")
    for i in range(n):
        parts.append(
            f"<Folder><name>f{i}</name><Placemark><name>p{i}</name><Point>"
            f"<coordinates>36.{i % 1000:03d},50.1</coordinates></Point></Placemark></Folder>"
        )
    parts.append("</Document></kml>")
    return "".join(parts).encode(), "folders.kml"


def keys(n: int) -> tuple[bytes, str]:
    """GeoJSON with one feature of n distinct property keys (4,000: 16 s)."""
    feature = {
        "type": "Feature",
        "properties": {f"key{i}": i for i in range(n)},
        "geometry": {"type": "Point", "coordinates": [36.3, 50.1]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode(), "keys.geojson"


def sparse_keys(n: int, distinct: int | None = None) -> tuple[bytes, str]:
    """GeoJSON with n point features, each with one property whose name is one of
    ``distinct`` (default: its own), so the answers' table is n by ``distinct``."""
    distinct = distinct or n
    features = [
        {
            "type": "Feature",
            "properties": {f"key{i % distinct}": i},
            "geometry": {"type": "Point", "coordinates": [36.0 + (i % 997) / 1000, 50.1]},
        }
        for i in range(n)
    ]
    return (
        json.dumps({"type": "FeatureCollection", "features": features}).encode(),
        "sparse.geojson",
    )


def columns(n: int) -> tuple[bytes, str]:
    """CSV with lat, lon and n more columns, and one row (40,000: 350 KB, 16 s)."""
    header = ",".join(["lat", "lon"] + [f"c{i}" for i in range(n)])
    row = ",".join(["50.1", "36.3"] + ["x"] * n)
    return f"{header}\n{row}\n".encode(), "columns.csv"


def zigzag(n: int) -> tuple[bytes, str]:
    """A GeoJSON line of n vertices going back and forth over one segment (5,000: 3.4 GB)."""
    coords = [[36 + i % 2, 50 + i % 2] for i in range(n)]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": coords},
    }
    return json.dumps(feature).encode(), "zigzag.geojson"


def fan(n: int) -> tuple[bytes, str]:
    """A GeoJSON line of n vertices whose long segments all differ: none is measured twice."""
    coords = [[36 + i % 2, 50 + (i % 2) + i * 1e-7] for i in range(n)]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": coords},
    }
    return json.dumps(feature).encode(), "fan.geojson"


def bowtie(n: int) -> tuple[bytes, str]:
    """A GeoJSON polygon of n vertices whose ring goes back and forth across itself, so that
    its edges cross or overlap one another about n² times (50,000: GEOS ran out of memory)."""
    ring = [[36 + (i % 2) * 0.5, 50 + (i % 4 in (1, 2)) * 0.3] for i in range(max(n - 1, 1))]
    ring.append(ring[0])
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return json.dumps(feature).encode(), "bowtie.geojson"


def points(n: int) -> tuple[bytes, str]:
    """One GeoJSON MultiPoint of n points (400,000: 32 s)."""
    coords = [[36 + (i % 1000) / 1000, 50 + (i // 1000) / 2000] for i in range(n)]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "MultiPoint", "coordinates": coords},
    }
    return json.dumps(feature).encode(), "points.geojson"


SHAPES = {
    "folders": folders,
    "keys": keys,
    "sparse keys": sparse_keys,
    "columns": columns,
    "vertices (zig-zag)": zigzag,
    "vertices (fan)": fan,
    "points": points,
}
