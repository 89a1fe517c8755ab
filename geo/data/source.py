"""Where the border data comes from and the extract's fixed choices: the npm package and its
version and checksum, the countries kept, the region clipped to, the coordinate precision and
the widest water gap the border line may bridge. ``geo.tools.rebuild`` builds ``data/`` with
these; the map, its figure and its About page cite them.
"""

from __future__ import annotations

PACKAGE = "@geo-maps/countries-land-100m"
VERSION = "0.6.0"
#: SHA-256 of the npm tarball the committed file was built from.
PACKAGE_SHA256 = "e6dca8a0026501a2908b0eb8f4a926d5198abbf15b2077e1a856433f8073f5c2"

COUNTRIES = {"UKR": "Ukraine", "RUS": "Russia", "BLR": "Belarus", "MDA": "Moldova"}
NAMES = {**COUNTRIES, "border": "Russia–Ukraine land border"}
#: (min lon, min lat, max lon, max lat) of the extract, degrees.
REGION = (20.0, 43.0, 46.0, 56.5)
PRECISION_DEG = 1e-5
#: The widest water gap in the shared edge that the border line may bridge, metres.
MAX_GAP_M = 1_000.0
