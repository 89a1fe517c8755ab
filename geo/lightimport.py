"""folium for the command line, imported without pandas.

folium imports pandas only to recognise a DataFrame given as a location
(``folium/utilities.py``: ``try: import pandas as pd`` / ``except ImportError: pd = None``).
This program never gives it one, and importing pandas takes about a third of a second, more
than building and writing the whole map. So a command that draws a map, in a process that
has not imported pandas, imports folium while ``import pandas`` fails: folium takes its own
no-pandas path, and pandas can still be imported afterwards. In the app (Streamlit imports
pandas first) nothing changes.
"""

from __future__ import annotations

import sys


def import_folium() -> None:
    """Import folium and its plugins, with pandas hidden if nothing has imported it yet."""
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # makes `import pandas` raise ImportError
    try:
        import folium.plugins  # noqa: F401
    finally:
        del sys.modules["pandas"]
