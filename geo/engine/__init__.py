"""The engine: the parameters and stages of the policy (``zones``, ``stages``), the zones'
geometry in metres (``zones``), the layer registry and its build (``layers``), what is at a
point (``query``), classifying users' features (``classify``), the figures (``facts``), the
places of the article and the offline gazetteer (``places``, ``gazetteer``). Pure functions
of their inputs, cached at the edge. May import ``geo.userfiles``, ``geo.data``,
``geo.core`` and ``geo.i18n``.
"""
