"""folium imported without pandas, which this program does not use.

folium imports pandas only to recognise a DataFrame given as a location
(``folium/utilities.py``: ``try: import pandas as pd`` / ``except ImportError: pd = None``).
This program never gives it one, and importing pandas takes about a third of a second, more
than building and writing the whole map. So the command line's map export and the app's
screens (``pages.shared``), in a process that has not imported pandas yet, import folium
while ``import pandas`` fails: folium takes its own no-pandas path, and pandas can still be
imported afterwards by whatever needs it (Streamlit's tables do).
"""

from __future__ import annotations

import importlib
import sys


def import_folium() -> None:
    """Import folium and its plugins, with pandas hidden if nothing has imported it yet."""
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # makes `import pandas` raise ImportError
    try:
        importlib.import_module("folium")
        importlib.import_module("folium.plugins")
    finally:
        del sys.modules["pandas"]
