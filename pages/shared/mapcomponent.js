// The Kharkiv border map in the page: the app's own Streamlit component (custom components v2),
// written for this project. kharkivGeometry (geo/data/display.py's DECODER_JS) is put before it.
//
// Streamlit calls the default export with the data the page gives (pages/shared/mapcomponent.py)
// when the component is mounted and again whenever that data changes, always with the same
// parentElement, in the page itself (no iframe). The data:
//   base     the map folium rendered (geo/render/web/page.py's Hosted): the scripts and
//            stylesheets to load, its styles, HTML and script, the name of its Leaflet map, an id;
//   overlay  what R, D and the stage draw: the zones (compact geometry, style, tooltip, pane), the
//            legend's values line and labels, the text description's paragraphs; a user's
//            features (popups escaped by their maker); a found place's marker;
//   view     the centre and zoom the page asks for; height; events; failed (a sentence).
// A new base draws a new map; the same base keeps the map and its view and swaps the overlay.
// Leaflet and its plugins load once per tab, from the app's own static files. A click on the map
// and a click on a marker come back as trigger values; panning, zooming and hovering send nothing.

const loading = new Map(); // URL -> Promise: each script and stylesheet is asked for once per tab

function load(url, kind) {
  if (!loading.has(url)) {
    loading.set(url, new Promise((resolve, reject) => {
      const element = document.createElement(kind === "script" ? "script" : "link");
      if (kind === "script") {
        element.src = url;
        element.async = false;
      } else {
        element.rel = "stylesheet";
        element.href = url;
      }
      element.onload = resolve;
      element.onerror = () => {
        loading.delete(url);
        reject(new Error(url));
      };
      document.head.appendChild(element);
    }));
  }
  return loading.get(url);
}

function plainText(html) {
  // A tooltip's text (escaped by its maker), read without running anything in it.
  return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
}

function report(state, event, value) {
  if (state.events) state.setTriggerValue(event, value);
}

function listenToMarker(state, layer) {
  layer.on("click", (e) => {
    const tooltip = layer.getTooltip();
    report(state, "marker", {
      name: tooltip ? plainText(tooltip.getContent()) : "",
      lat: e.latlng.lat,
      lng: e.latlng.lng,
    });
  });
}

function made(base, view) {
  // folium's script, run once per base: it makes the Leaflet map it names and everything on
  // it. The map is made in the view asked for, not moved there after: a second move straight
  // after the first would leave the mini-map (which follows the map with an animation) out of
  // step, and it would then move the map back.
  const make = L.map;
  L.map = (element, options) => make(element, view ? {...options, ...view} : options);
  try {
    return new Function(`${base.script}\nreturn ${base.name};`)();
  } finally {
    L.map = make;
  }
}

async function drawBase(host, state, base, view) {
  // All asked for at once; scripts added together run in the order added (async = false),
  // so Leaflet runs before its plugins while all three download side by side.
  await Promise.all([
    ...base.stylesheets.map((url) => load(url, "stylesheet")),
    ...base.scripts.map((url) => load(url, "script")),
  ]);
  const before = state.map && {center: state.map.getCenter(), zoom: state.map.getZoom()};
  if (state.map) state.map.remove();
  state.overlay = state.overlayText = null;
  host.innerHTML = base.styles + base.html;
  state.map = made(base, view || before);
  state.base = base.id;
  host.leafletMap = state.map; // for the page's scripts and the browser tests
  state.map.on("click", (e) => report(state, "click", {lat: e.latlng.lat, lng: e.latlng.lng}));
  state.map.eachLayer((layer) => {
    if ((layer instanceof L.CircleMarker || layer instanceof L.Marker) && layer.getTooltip()) {
      listenToMarker(state, layer);
    }
  });
}

function writeText(container, overlay) {
  const legend = container.querySelector(".kharkiv-legend");
  if (legend) {
    const values = legend.querySelector(".kharkiv-legend-values");
    if (values) values.textContent = overlay.values;
    legend.querySelectorAll("[data-layer]").forEach((row) => {
      const key = row.getAttribute("data-layer");
      const label = row.querySelector(".kharkiv-legend-label");
      if (label && Object.hasOwn(overlay.labels, key)) label.textContent = overlay.labels[key];
    });
  }
  const note = container.querySelector(".kharkiv-description");
  if (note) {
    note.replaceChildren(...overlay.description.map((text) => {
      const paragraph = document.createElement("p");
      paragraph.textContent = text;
      return paragraph;
    }));
  }
}

function drawOverlay(state, overlay) {
  const group = L.featureGroup();
  for (const shape of overlay.shapes) {
    L.geoJson(kharkivGeometry(JSON.parse(shape.geometry)), {
      style: () => shape.style,
      pane: shape.pane,
    }).bindTooltip(shape.tooltip, {sticky: true}).addTo(group);
  }
  if (overlay.features) {
    const style = overlay.features.style;
    L.geoJson(overlay.features.data, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, {radius: 5, ...style}),
      style: () => style,
      onEachFeature: (feature, layer) => {
        layer.bindPopup(feature.properties.popup, {maxWidth: 340});
        layer.bindTooltip(feature.properties.label);
      },
    }).addTo(group);
  }
  if (overlay.marker) {
    const marker = L.marker([overlay.marker.lat, overlay.marker.lon]);
    marker.bindTooltip(overlay.marker.name).addTo(group);
    listenToMarker(state, marker);
  }
  if (state.overlay) state.overlay.remove();
  state.overlay = group.addTo(state.map);
  writeText(state.map.getContainer(), overlay);
}

async function show(host, state, data) {
  const view = JSON.stringify(data.view);
  const asked = data.view && {center: data.view.center, zoom: data.view.zoom};
  if (state.base !== data.base.id) {
    await drawBase(host, state, data.base, view !== state.view ? asked : null);
  } else if (asked && view !== state.view) {
    state.map.setView(asked.center, asked.zoom, {animate: false});
  }
  state.view = view;
  const overlay = JSON.stringify(data.overlay);
  if (overlay !== state.overlayText) {
    drawOverlay(state, data.overlay);
    state.overlayText = overlay;
  }
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  let host = parentElement.querySelector(":scope > .kharkiv-map-host");
  if (!host) {
    host = document.createElement("div");
    host.className = "kharkiv-map-host";
    parentElement.appendChild(host);
    new ResizeObserver(() => host.kharkiv.map && host.kharkiv.map.invalidateSize()).observe(host);
  }
  host.style.setProperty("--kharkiv-map-height", `${data.height}px`);
  const state = host.kharkiv || (host.kharkiv = {queue: Promise.resolve()});
  Object.assign(state, {events: data.events, setTriggerValue, latest: data});
  // One change at a time, in order; a change superseded before its turn is skipped.
  state.queue = state.queue
    .then(() => (state.latest === data ? show(host, state, data) : null))
    .catch((error) => {
      if (state.map) state.map.remove();
      Object.assign(state, {map: null, base: null, overlay: null, overlayText: null});
      host.textContent = data.failed.replace("{error}", error.message);
    });
  return () => {
    // Streamlit calls this when the component leaves the page (and for a call superseded
    // while it was starting, when the map is still in the page: then nothing is undone).
    if (!host.isConnected && state.map) {
      state.map.remove();
      state.map = null;
    }
  };
}
