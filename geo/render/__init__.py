"""What is drawn: the web map with folium (``geo.render.web``) and the static figure with
matplotlib (``geo.render.print``). May import ``geo.narrative`` and the layers below it.
"""
