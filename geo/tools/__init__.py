"""Tools that rebuild what ``data/`` holds: the border extract from its npm package
(``rebuild``) and the zones' stored geometry (``ground``). Run by ``kharkiv-map data
rebuild``; only ``geo.cli`` imports this package. May import every layer below it.
"""
