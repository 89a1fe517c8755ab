"""The measured figures, with the parameters they were measured for.

Lengths and areas are geodesic on the WGS84 ellipsoid (``geo.geodesy``); distances from a
place to the border are geodesic to the border line (``zones.nearest_on_border``).
"""

from __future__ import annotations

from geopy.distance import geodesic

from geo import geodesy, places
from geo.data import region
from geo.zones import Layers, nearest_on_border

ARTICLE_CLAIM_MI = 12.0  # "Kharkiv, which is 12 miles from the Russian border"


def facts(layers: Layers) -> dict:
    """Every figure as plain JSON-ready values (units in the key names)."""
    reg = region()
    home = places.kharkiv()
    rows = []
    for place in places.places():
        to_border, _ = nearest_on_border(reg, place.lat, place.lon)
        rows.append(
            {
                "name": place.name,
                "lat": place.lat,
                "lon": place.lon,
                "kind": place.kind,
                "named_in_article": place.named_in_article,
                "note": place.note,
                "quote": place.quote,
                "paragraph": place.paragraph,
                "distance_to_kharkiv_km": round(geodesic((home.lat, home.lon), (place.lat, place.lon)).km, 3),
                "distance_to_border_km": round(to_border.km, 3),
            }
        )
    gap = layers.kharkiv_to_border_distance
    return {
        "radius_m": round(layers.params.radius_m, 3),
        "depth_m": round(layers.params.depth_m, 3),
        "border_length_km": round(geodesy.length_m(layers.border) / 1000, 3),
        "kharkiv_sector_length_km": round(geodesy.length_m(layers.kharkiv_sector) / 1000, 3),
        "kharkiv_to_border_km": round(gap.km, 3),
        "kharkiv_to_border_mi": round(gap.miles, 3),
        "article_claim_mi": ARTICLE_CLAIM_MI,
        "border_band_area_km2": round(geodesy.area_m2(layers.border_band) / 1e6, 1),
        "counterfire_zone_area_km2": round(geodesy.area_m2(layers.counterfire_zone) / 1e6, 1),
        "deep_strike_zone_area_km2": round(geodesy.area_m2(layers.deep_strike_zone) / 1e6, 1),
        "places": rows,
    }


#: Labels for the table form of the figures (key, label, unit).
TABLE = (
    ("radius_m", "Radius R (band and ring)", "m"),
    ("depth_m", "Counterfire depth D", "m"),
    ("border_length_km", "Russia–Ukraine land border", "km"),
    ("kharkiv_sector_length_km", "Kharkiv sector of the border", "km"),
    ("kharkiv_to_border_km", "Kharkiv centre to the border", "km"),
    ("kharkiv_to_border_mi", "Kharkiv centre to the border", "mi"),
    ("article_claim_mi", "The article's figure", "mi"),
    ("border_band_area_km2", "Ukraine within R of the border", "km²"),
    ("counterfire_zone_area_km2", "Counterfire zone (Russia within D of the sector)", "km²"),
    ("deep_strike_zone_area_km2", "Still prohibited (D to 300 km)", "km²"),
)


def as_table(figures: dict) -> str:
    """The figures as aligned plain text for a terminal."""
    width = max(len(label) for _, label, _ in TABLE)
    lines = [f"{label:<{width}}  {figures[key]:>12,.3f} {unit}" for key, label, unit in TABLE]
    lines.append("")
    lines.append(f"{'Place':<34} {'to Kharkiv':>12} {'to border':>12}  in article")
    for row in figures["places"]:
        named = "yes" if row["named_in_article"] else "context"
        lines.append(
            f"{row['name']:<34} {row['distance_to_kharkiv_km']:>9,.1f} km {row['distance_to_border_km']:>9,.1f} km  {named}"
        )
    return "\n".join(lines)
