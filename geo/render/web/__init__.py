"""The folium map (``mapview``), its elements and legend (``elements``, ``legend``), users'
layers on it (``userlayer``), the standalone export (``export``) and the map's scripts
served or inlined from local copies (``assets``).
"""
