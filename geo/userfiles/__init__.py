"""Reading people's own files with Python's standard library, each reaching nothing but the
bytes given: GeoJSON (``usergeojson``), KML (``userkml``), CSV with coordinate columns
(``usercsv``), and what they share (``reading``: formats, limits, messages); ``userdata`` is
the one entry point. May import ``geo.data``, ``geo.core`` and ``geo.i18n``.
"""
