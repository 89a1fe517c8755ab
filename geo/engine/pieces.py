"""Users' geometries as pieces to measure: their points, and the segments of their lines and
of their areas' rings, each distinct one once, long segments cut into parts.

Why: measuring a whole geometry against the border or the zones costs its vertices times the
border's or the zones' edges near it, and cutting a whole line nodes it with itself first (a
zig-zag of 5,000 vertices that goes back over itself took 3.4 GB; of 50,000, GEOS ran out of
memory). A piece is measured against the few edges near it, found with an STRtree, so the
cost follows the pieces. A segment that one line or several go over more than once (the same
two ends, either way round) is measured once; a long segment is cut into parts of at most
``PART_M``, since the box of a long diagonal holds every edge near it, and an STRtree finds
edges by their boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

#: The longest part a segment is cut into (metres), and the most parts of one segment.
PART_M = 5_000.0
MAX_PER_SEGMENT = 16


@dataclass(frozen=True)
class Pieces:
    """The pieces of some geometries.

    ``unique`` (u, 2, 2) are the distinct pieces: each point (both ends the same) and each
    segment, once. ``distinct`` and ``owner`` follow every piece of every geometry, repeats
    included: the distinct piece it is, and the geometry it comes from. :meth:`parts` cuts a
    run of distinct pieces into the parts that are measured, so that memory stays bounded
    however many there are."""

    unique: np.ndarray
    distinct: np.ndarray
    owner: np.ndarray

    @property
    def count(self) -> int:
        return len(self.unique)

    def parts(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """The parts (k, 2, 2) of the distinct pieces ``start`` to ``stop``: each cut into equal
        parts of at most PART_M (at most MAX_PER_SEGMENT of them), and the distinct piece each
        part belongs to."""
        unique = self.unique[start:stop]
        step = unique[:, 1] - unique[:, 0]
        cuts = np.clip(np.ceil(np.hypot(step[:, 0], step[:, 1]) / PART_M), 1, MAX_PER_SEGMENT)
        cuts = cuts.astype(int)
        of = np.repeat(np.arange(len(unique)), cuts)
        k = np.arange(len(of)) - (np.cumsum(cuts) - cuts)[of]
        a = unique[of, 0] + step[of] * (k / cuts[of])[:, None]
        b = unique[of, 0] + step[of] * ((k + 1) / cuts[of])[:, None]
        last = k + 1 == cuts[of]
        b[last] = unique[of[last], 1]  # the last part ends exactly where the segment does
        return np.stack([a, b], axis=1), of + start

    def per_geometry(self, per_piece: np.ndarray, count: int, how: str) -> np.ndarray:
        """A value of each distinct piece gathered for each of ``count`` geometries: ``sum``
        (rows of values, summed column by column) or ``min``."""
        values = per_piece[self.distinct]
        if how == "sum":
            return np.stack(
                [
                    np.bincount(self.owner, weights=values[:, k], minlength=count)
                    for k in range(values.shape[1])
                ],
                axis=1,
            )
        return smallest(values, self.owner, count)[0]


def shapes(ends: np.ndarray) -> np.ndarray:
    """Parts (k, 2, 2) as shapely geometries: points where both ends are one, else lines."""
    point = (ends[:, 0] == ends[:, 1]).all(axis=1)
    out = np.empty(len(ends), dtype=object)
    out[point] = shapely.points(ends[point, 0]) if point.any() else []
    out[~point] = shapely.linestrings(ends[~point]) if (~point).any() else []
    return out


def _coordinates(
    geoms: np.ndarray, points: np.ndarray | None = None, point_of: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every piece as (n, 2, 2) ends (a point's twice), and the geometry it comes from;
    ``points`` (and the geometry of each, ``point_of``) are points given as coordinates."""
    dims = shapely.get_dimensions(geoms)
    index = np.arange(len(geoms))
    if points is None:
        points, point_of = shapely.get_coordinates(geoms[dims == 0], return_index=True)
        point_of = index[dims == 0][point_of]
    parts, part_of = shapely.get_parts(geoms[dims > 0], return_index=True)
    part_of = index[dims > 0][part_of]
    part_dims = dims[part_of]
    rings, ring_of = shapely.get_rings(parts[part_dims == 2], return_index=True)
    lines = np.concatenate([parts[part_dims == 1], rings])
    line_of = np.concatenate([part_of[part_dims == 1], part_of[part_dims == 2][ring_of]])
    xy, along = shapely.get_coordinates(lines, return_index=True)
    follows = along[1:] == along[:-1]
    segments = np.stack([xy[:-1][follows], xy[1:][follows]], axis=1)
    ends = np.concatenate([np.stack([points, points], axis=1), segments.reshape(-1, 2, 2)])
    owner = np.concatenate([point_of, line_of[along[:-1][follows]]])
    return ends, owner


def distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D array, and for each row the index of its distinct row (as
    ``np.unique(rows, axis=0, return_inverse=True)``, a tenth of its time: a sort on the
    columns instead of on the rows as bytes)."""
    if not len(rows):
        return rows, np.zeros(0, dtype=int)
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    inverse = np.empty(len(rows), dtype=int)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def pieces(
    geoms: np.ndarray, points: np.ndarray | None = None, point_of: np.ndarray | None = None
) -> Pieces:
    """The pieces of ``geoms`` (see the module's docstring). Points may be given as
    coordinates instead (``points``, (p, 2), and the index in ``geoms`` of each,
    ``point_of``), with None in their place in ``geoms``."""
    ends, owner = _coordinates(geoms, points, point_of)
    flip = (ends[:, 0, 0] > ends[:, 1, 0]) | (
        (ends[:, 0, 0] == ends[:, 1, 0]) & (ends[:, 0, 1] > ends[:, 1, 1])
    )
    ends[flip] = ends[flip, ::-1]
    unique, distinct = distinct_rows(ends.reshape(-1, 4))
    return Pieces(unique.reshape(-1, 2, 2), distinct, owner)


def smallest(values: np.ndarray, groups: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The smallest value in each of ``count`` groups (inf where a group has none), and the
    index of the value that is it."""
    order = np.lexsort((values, groups))
    first = order[np.r_[True, groups[order][1:] != groups[order][:-1]]] if len(order) else order
    best, at = np.full(count, np.inf), np.zeros(count, dtype=int)
    best[groups[first]], at[groups[first]] = values[first], first
    return best, at


def largest(values: np.ndarray, groups: np.ndarray, count: int) -> np.ndarray:
    """The largest value in each of ``count`` groups (-inf where a group has none)."""
    return -smallest(-values, groups, count)[0]
