"""folium imported without what this program does not use: pandas, and (on the command line)
the plugins other than the map's two.

folium imports pandas only to recognise a DataFrame given as a location
(``folium/utilities.py``: ``try: import pandas as pd`` / ``except ImportError: pd = None``).
This program never gives it one, and importing pandas takes about a third of a second, more
than building and writing the whole map. So the command line's map export and the app's
screens (``pages.shared``), in a process that has not imported pandas yet, import folium
while ``import pandas`` fails: folium takes its own no-pandas path, and pandas can still be
imported afterwards by whatever needs it (Streamlit's tables do).

``import folium.plugins`` imports some thirty plugins and compiles their templates (about
0.08 s); the map uses two (``MAP_PLUGINS``). On the command line the package is made from its
own spec with those two imported, and runs its ``__init__`` (every plugin) only when
something asks it for another name. The app keeps the whole package: streamlit-folium uses it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

#: The plugins the map draws with (``geo.mapview``, ``geo.elements``), by name and module.
MAP_PLUGINS = {"Fullscreen": "folium.plugins.fullscreen", "MiniMap": "folium.plugins.minimap"}


def import_folium(all_plugins: bool = True) -> None:
    """Import folium, with pandas hidden if nothing has imported it yet, and its plugins:
    all, or (``all_plugins=False``) the map's own, the rest on first use."""
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # makes `import pandas` raise ImportError
    try:
        import folium
    finally:
        del sys.modules["pandas"]
    if all_plugins:
        importlib.import_module("folium.plugins")
        return
    spec = importlib.util.find_spec("folium.plugins")
    package = importlib.util.module_from_spec(spec)

    def rest(name: str):
        del package.__getattr__
        spec.loader.exec_module(package)  # folium's own __init__: every plugin
        return getattr(package, name)

    sys.modules["folium.plugins"] = folium.plugins = package
    for name, module in MAP_PLUGINS.items():
        setattr(package, name, getattr(importlib.import_module(module), name))
    package.__getattr__ = rest
