"""The data the program reads, each file verified against ``data/SHA256SUMS`` before use: the
border extract and its source (``borders``, ``source``), the outlines simplified for drawing
(``display``), the zones' stored geometry (``stored``) and the map's third-party scripts
(``scripts``, the manifest with versions and checksums). May import ``geo.core`` and
``geo.i18n``.
"""
