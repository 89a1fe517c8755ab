"""What is said from the engine's results: the map in words (``describe``), the classroom's
steps (``story``), the About text (``about``) and the facts tables (``tables``). Text only,
nothing drawn. May import ``geo.engine`` and the layers below it.
"""
