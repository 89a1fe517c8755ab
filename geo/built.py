"""One built layer: what ``geo.layers`` keeps for a layer entry and a set of parameters.

Split from ``geo.layers`` (the registry) so that each stays a module of one concept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import shapely
from geopy.distance import Distance

from geo import display, geodesy
from geo.units import Area

if TYPE_CHECKING:
    from geo.layers import LayerSpec
    from geo.zones import Ground, Params


class Layer:
    """One built layer: its entry, its geometry in metres and its drawing (compact, simplified:
    ``geo.display``); its geometry in lon/lat and its measured figure (``None`` for a layer
    without one), made once and kept (``build_layer`` makes them while building)."""

    def __init__(self, spec: LayerSpec, metric: shapely.Geometry | Callable[[], shapely.Geometry],
                 drawing: str | None = None, degrees: shapely.Geometry | None = None,
                 measure: Distance | Area | None = None):
        self.spec, self._degrees = spec, degrees
        self._make = metric if callable(metric) else None  # the geometry, made on first use
        # Given values stand in for what the cached properties below would make.
        given = (("metric", None if callable(metric) else metric), ("drawing", drawing), ("measure", measure))
        self.__dict__.update({k: v for k, v in given if v is not None})

    @cached_property
    def metric(self) -> shapely.Geometry:
        return self._make()

    @cached_property
    def drawing(self) -> str:
        return display.drawing(self.metric)

    @cached_property
    def geometry(self) -> shapely.Geometry:
        geometry = self._degrees if self._degrees is not None else geodesy.to_degrees(self.metric)
        shapely.prepare(geometry)
        return geometry

    @cached_property
    def measure(self) -> Distance | Area | None:
        figure = self.spec.figure
        if figure is None:
            return None
        if figure.kind == "length":
            return Distance(meters=geodesy.length_m(self.geometry))
        return Area(geodesy.area_m2(self.geometry))


def build_layer(spec: LayerSpec, ground: Ground, params: Params, drawn: bool = True) -> Layer:
    """One layer: its geometry, its drawing (``drawn``: else on first use) and its figure, all
    made here, so that drawing (whose text description states the figures) and answering
    neither project nor measure. An area the geometry function knew is not measured again."""
    shape = spec.geometry(ground, params)
    known = shape.area if spec.figure is not None and spec.figure.kind == "area" else None
    made = Layer(spec, shape.later if shape.metric is None else shape.metric, None, shape.degrees, known)
    if drawn:
        made.drawing  # noqa: B018 -- made now, inside the build
    made.measure  # noqa: B018 -- made now, inside the build, and kept
    return made
