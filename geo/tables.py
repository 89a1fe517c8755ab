"""The measured figures as tables: rows for a screen, and one CSV file.

Everything here is arithmetic on ``facts.facts(layers)`` plus geodesic distances between the
places (geopy's ``geodesic`` on WGS84); no geometry is built.
"""

from __future__ import annotations

import csv
import io
from itertools import combinations

from geopy.distance import geodesic

from geo import places
from geo.facts import TABLE

KM_PER_MI = 1.609344


def _km_mi(km: float) -> str:
    return f"{km:,.1f} km ({km / KM_PER_MI:,.1f} mi)"


def claims(figures: dict) -> list[dict]:
    """The article's figure beside the measurement."""
    claim_mi = figures["article_claim_mi"]
    measured_km = figures["kharkiv_to_border_km"]
    return [
        {
            "What": "Kharkiv to the Russian border",
            "The article says": f"{claim_mi:g} miles ({claim_mi * KM_PER_MI:.1f} km)",
            "Measured": f"{_km_mi(measured_km)}, city centre to the nearest border point",
            "Measured ÷ claimed": round(measured_km / (claim_mi * KM_PER_MI), 2),
        }
    ]


def figure_rows(figures: dict) -> list[dict]:
    """Each figure of ``facts.TABLE``; values in metres are given in km."""
    rows = []
    for key, label, unit in TABLE:
        value = figures[key]
        if unit == "m":
            value, unit = value / 1000, "km"
        rows.append({"Figure": label, "Value": round(value, 3), "Unit": unit})
    return rows


def place_rows(figures: dict) -> list[dict]:
    """Each place with its distances to Kharkiv's centre and to the border."""
    return [
        {
            "Place": row["name"],
            "In the article": "yes" if row["named_in_article"] else "context",
            "To Kharkiv (km)": round(row["distance_to_kharkiv_km"], 1),
            "To the border (km)": round(row["distance_to_border_km"], 1),
            "Latitude": row["lat"],
            "Longitude": row["lon"],
        }
        for row in figures["places"]
    ]


def city_distances() -> list[dict]:
    """Geodesic distance between every two city places (country labels are not places one
    measures from), nearest pairs first."""
    cities = [p for p in places.places() if p.kind == "city"]
    rows = [
        {"From": a.name, "To": b.name, "Distance (km)": round(geodesic((a.lat, a.lon), (b.lat, b.lon)).km, 1)}
        for a, b in combinations(cities, 2)
    ]
    return sorted(rows, key=lambda r: r["Distance (km)"])


def csv_text(figures: dict) -> str:
    """Every figure, place distance and city-to-city distance as one long-format CSV: one
    value per row, with R and D on every row."""
    params = {"radius_m": figures["radius_m"], "depth_m": figures["depth_m"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["item", "measure", "value", "unit", *params], lineterminator="\n")
    writer.writeheader()
    for key, label, unit in TABLE:
        writer.writerow({"item": label, "measure": key, "value": figures[key], "unit": unit, **params})
    for row in figures["places"]:
        for measure in ("distance_to_kharkiv_km", "distance_to_border_km"):
            writer.writerow({"item": row["name"], "measure": measure, "value": row[measure], "unit": "km", **params})
    for row in city_distances():
        writer.writerow({"item": f"{row['From']} – {row['To']}", "measure": "geodesic_distance_km",
                         "value": row["Distance (km)"], "unit": "km", **params})
    return out.getvalue()
