"""Reading people's own files: GeoJSON and KML through GDAL, confined to the bytes given
(``usergdal``), CSV with coordinate columns (``usercsv``), and what both share (``reading``);
``userdata`` is the one entry point. May import ``geo.data``, ``geo.core`` and ``geo.i18n``.
"""
