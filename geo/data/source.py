"""Where the border data comes from and the extracts' fixed choices: the border sources (each
an npm package with its version, checksum, licence and the files built from it in ``data/``),
the countries kept, the region clipped to, the coordinate precision and the widest water gap
a border line may bridge. ``geo.tools.rebuild`` builds ``data/`` with these; the map, its
figure, its exports and its About page cite them.

Two sources, independent of each other, so that a reader can see which figures depend on the
choice of one (:data:`SOURCES`, the one table every layer iterates):

* ``osm``: OpenStreetMap through ``@geo-maps/countries-land-100m`` (about 100 m error; ODbL),
  the default, as the map had it from the start;
* ``naturalearth``: Natural Earth's 1:10m countries through ``world-atlas`` (public domain),
  compiled for maps at 1:10,000,000 and quantized in that package to a grid of 0.0036° of
  longitude by 0.0017° of latitude (about 260 m by 190 m at 50° N).

Both are treated the same way (``geo.tools.rebuild``): the same region, the same repair, Crimea
drawn as part of Ukraine (UN General Assembly resolution 68/262) whichever country's polygon
the source puts it in, the land border found as the two countries' shared edge and the Kharkiv
sector between the same oblast tripoints; so the sources differ only in their lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from geo.core.units import echo
from geo.i18n import N_, _

COUNTRIES = {"UKR": "Ukraine", "RUS": "Russia", "BLR": "Belarus", "MDA": "Moldova"}
NAMES = {**COUNTRIES, "border": "Russia–Ukraine land border"}
#: (min lon, min lat, max lon, max lat) of the extract, degrees.
REGION = (20.0, 43.0, 46.0, 56.5)
PRECISION_DEG = 1e-5
#: The widest water gap in the shared edge that the border line may bridge, metres.
MAX_GAP_M = 1_000.0
#: Where Crimea lies (min lon, min lat, max lon, max lat): a source that draws the peninsula
#: as a separate part of Russia's polygon has that part wholly inside this box. Russia's Taman
#: peninsula, across the Kerch Strait, reaches west to about 36.6° E but belongs to Russia's
#: mainland part, which is never wholly inside it.
CRIMEA_BOX = (32.3, 44.2, 36.8, 46.3)


@dataclass(frozen=True)
class BorderSource:
    """One border source: the npm package it is built from and the files built from it.

    ``crimea`` says how the source draws the peninsula: ``"both"`` (inside the Ukrainian and
    the Russian polygon: Ukraine is taken out of Russia) or ``"russia"`` (in Russia's polygon
    only: the part of Russia inside :data:`CRIMEA_BOX` is given to Ukraine). ``codes`` maps
    the source's own key of a country (``A3`` property, or ISO 3166 numeric ``id``) to the
    project's ``A3`` code."""

    id: str
    name: str
    #: The choice as the sidebar and tables show it (translated where shown).
    label: str
    package: str
    version: str
    package_sha256: str
    #: The file inside the npm tarball, and its format ("geojson" or "topojson").
    member: str
    member_format: str
    #: The property holding the country key, and the keys of the four countries.
    key: str
    codes: Mapping[str, str]
    crimea: str
    licence: str
    licence_url: str
    #: The credit a map or file built from it carries, and the figure's (translated there).
    credit: str
    borders_credit: str
    #: How exact the lines are, in words (translated where shown).
    accuracy: str
    #: Natural Earth's own edition, where the package names one.
    edition: str = ""

    @property
    def spec(self) -> str:
        """``world-atlas@2.0.2``: the package as npm names it."""
        return f"{self.package}@{self.version}"

    @property
    def suffix(self) -> str:
        """What the source's data files add to their names: nothing for the first source."""
        return "" if self.id == DEFAULT else f"-{self.id}"

    @property
    def borders_file(self) -> str:
        return f"borders{self.suffix}.geojson"

    @property
    def display_file(self) -> str:
        return f"display{self.suffix}.geojson"

    @property
    def wkb_file(self) -> str:
        return f"ground{self.suffix}.wkb"

    @property
    def index_file(self) -> str:
        return f"ground{self.suffix}.json"

    @property
    def files(self) -> tuple[str, ...]:
        return (self.borders_file, self.display_file, self.wkb_file, self.index_file)


DEFAULT = "osm"

SOURCES: tuple[BorderSource, ...] = (
    BorderSource(
        id="osm",
        name="OpenStreetMap",
        label=N_("OpenStreetMap (about 100 m)"),
        package="@geo-maps/countries-land-100m",
        version="0.6.0",
        package_sha256="e6dca8a0026501a2908b0eb8f4a926d5198abbf15b2077e1a856433f8073f5c2",
        member="package/map.geo.json",
        member_format="geojson",
        key="A3",
        codes=MappingProxyType({code: code for code in COUNTRIES}),
        crimea="both",
        licence="ODbL-1.0",
        licence_url="https://opendatacommons.org/licenses/odbl/1-0/",
        credit="© OpenStreetMap contributors",
        borders_credit=N_("Borders © OpenStreetMap contributors (ODbL)"),
        accuracy=N_("about 100 m error"),
    ),
    BorderSource(
        id="naturalearth",
        name="Natural Earth 1:10m",
        label=N_("Natural Earth 1:10m (small scale)"),
        package="world-atlas",
        version="2.0.2",
        package_sha256="032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
        member="package/countries-10m.json",
        member_format="topojson",
        key="id",
        codes=MappingProxyType({"804": "UKR", "643": "RUS", "112": "BLR", "498": "MDA"}),
        crimea="russia",
        licence="Public domain",
        licence_url="https://www.naturalearthdata.com/about/terms-of-use/",
        credit="Made with Natural Earth",
        borders_credit=N_("Borders: Natural Earth 1:10m (public domain)"),
        accuracy=N_(
            "compiled for maps at 1:10,000,000; coordinates on a grid of about 260 m by 190 m"
        ),
        edition="4.1.0",
    ),
)

BY_ID: Mapping[str, BorderSource] = MappingProxyType({s.id: s for s in SOURCES})
IDS = tuple(BY_ID)

# The first source's package, as the rest of the program has always named it.
PACKAGE = BY_ID[DEFAULT].package
VERSION = BY_ID[DEFAULT].version
#: SHA-256 of the npm tarball the committed file was built from.
PACKAGE_SHA256 = BY_ID[DEFAULT].package_sha256


class SourceError(ValueError):
    """A border source the map does not have; the message is one sentence naming it."""


def parse_source(text: object) -> BorderSource:
    """The source with this id (any case, spaces around ignored), e.g. ``"naturalearth"``.

    >>> parse_source(" NaturalEarth ").name
    'Natural Earth 1:10m'
    >>> parse_source("ne")
    Traceback (most recent call last):
    geo.data.source.SourceError: source 'ne' is not a border source of this map: source takes one of osm, naturalearth, e.g. naturalearth.
    """
    found = BY_ID.get(str(text).strip().lower())
    if found is None:
        raise SourceError(
            _(
                "source {value} is not a border source of this map: source takes one of "
                "{choices}, e.g. naturalearth."
            ).format(value=echo(text), choices=", ".join(IDS))
        )
    return found
