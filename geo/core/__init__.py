"""What everything uses: distances and areas as values with units (``units``), geodesy on the
WGS84 ellipsoid and the regional projection (``geodesy``), HTML escaping of every text
(``escape``), reading and writing files safely (``files``) and the engine's bounded cache
(``cache``). May import ``geo.i18n`` and nothing else of the project.
"""
