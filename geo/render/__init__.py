"""What is drawn: the web map with folium (``geo.render.web``), the static figure with
matplotlib (``geo.render.print``) and the layers as files for GIS tools through GDAL
(``geo.render.gis``). May import ``geo.narrative`` and the layers below it.
"""
