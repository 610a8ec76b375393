/*
 * One map component for the whole service (Leaflet 1.9, vendored from npm as window.L).
 *
 * Markup: <div class="app-map" data-module="app-map" data-geojson-url="…"></div>, then
 * NeighbourhoodMap.mountAll() (done on load). Options, all data attributes:
 *   data-geojson-url    a GeoJSON FeatureCollection of areas (wards, boroughs): the base layer
 *   data-geojson-script or, instead, the id of a <script type="application/json"> in the page
 *                       holding it (Django's json_script: a panel that needs no extra request)
 *   data-value          the feature property to shade (a choropleth); none: outlines only
 *   data-value-label    what that value is, for the legend ("Crimes")
 *   data-points-url     optional: a FeatureCollection of points, drawn as circles sized by
 *                       their `count` property (none: one), named by `location`
 *   data-points-script  or, instead, the id of a JSON script element holding them
 *   data-tile-url       optional: a tile URL template; without it there is no tile layer (the
 *                       areas are the base map), which is how it works offline
 *   data-tile-attribution  the tile layer's attribution
 *   data-label          the feature property that names an area (default "name")
 *   data-link           the feature property holding a URL to open on click (default "url")
 * A page must always show the same numbers in a table: the map is never the only way to read
 * them.
 */
(function () {
  "use strict";

  // Five sequential classes, light to dark (GOV.UK blue tints). The legend's swatches use the
  // same colours from app.css (.app-map__swatch--N): the Content-Security-Policy allows no
  // style attributes in markup.
  var PALETTE = ["#d2e2f1", "#a5c5e3", "#6f9fd0", "#3a75b8", "#003078"];
  var EMPTY = "#f3f2f1";

  function quantileBreaks(values) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var breaks = [];
    for (var i = 1; i < PALETTE.length; i++) {
      breaks.push(sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / PALETTE.length))]);
    }
    return breaks;
  }

  function colour(value, breaks) {
    if (value === null || value === undefined || value <= 0 || !breaks.length) { return EMPTY; }
    var index = 0;
    while (index < breaks.length && value >= breaks[index]) { index++; }
    return PALETTE[Math.min(index, PALETTE.length - 1)];
  }

  function legend(map, breaks, label) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "app-map__legend");
      var html = "<strong>" + escapeHtml(label || "Count") + "</strong><br>";
      html += '<span class="app-map__swatch app-map__swatch--none"></span> none<br>';
      var lower = 1;
      breaks.concat([null]).forEach(function (upper, i) {
        var text = upper === null ? lower + " or more" : lower + " to " + (upper - 1 >= lower ? upper - 1 : lower);
        html += '<span class="app-map__swatch app-map__swatch--' + i + '"></span> ' + text + "<br>";
        if (upper !== null) { lower = upper; }
      });
      div.innerHTML = html;
      return div;
    };
    control.addTo(map);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  // A layer's data: from the JSON script element the page names, else fetched from its URL.
  function source(element, name) {
    var scriptId = element.dataset[name + "Script"];
    if (scriptId) {
      var script = document.getElementById(scriptId);
      return Promise.resolve(script ? JSON.parse(script.textContent) : null);
    }
    var url = element.dataset[name + "Url"];
    return url ? fetchJson(url) : Promise.resolve(null);
  }

  function drawAreas(map, data, options) {
    var valueKey = options.value;
    var values = valueKey ? data.features.map(function (f) { return f.properties[valueKey]; }) : [];
    var breaks = valueKey ? quantileBreaks(values) : [];
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return {
          color: "#505a5f",
          weight: 1,
          fillOpacity: valueKey ? 0.75 : 0.1,
          fillColor: valueKey ? colour(feature.properties[valueKey], breaks) : "#1d70b8",
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var props = feature.properties || {};
        var text = escapeHtml(props[options.label] || feature.id || "");
        if (valueKey) { text += ": " + escapeHtml(props[valueKey] === null ? "–" : props[valueKey]); }
        featureLayer.bindTooltip(text, { sticky: true });
        if (props[options.link]) {
          featureLayer.on("click", function () { window.location.href = props[options.link]; });
        }
      },
    }).addTo(map);
    if (valueKey) { legend(map, breaks, options.valueLabel); }
    return layer;
  }

  function drawPoints(map, data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var count = feature.properties.count || 1;
        return L.circleMarker(latlng, {
          radius: 3 + 2 * Math.sqrt(count),
          color: feature.properties.inside === false ? "#d4351c" : "#0b0c0c",
          weight: 1,
          fillColor: "#f47738",
          fillOpacity: 0.8,
        }).bindTooltip(escapeHtml(feature.properties.location || "") +
          (feature.properties.count === undefined ? "" : ": " + count));
      },
    }).addTo(map);
    return layer;
  }

  function mount(element) {
    if (!window.L || element.dataset.mounted) { return null; }
    element.dataset.mounted = "true";
    var options = {
      value: element.dataset.value || "",
      valueLabel: element.dataset.valueLabel || "",
      label: element.dataset.label || "name",
      link: element.dataset.link || "url",
    };
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.setView([51.5, -0.12], 10);
    map.attributionControl.setPrefix(false);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    var state = { map: map };
    Promise.all([source(element, "geojson"), source(element, "points")]).then(function (results) {
      var bounds = null;
      if (results[0]) {
        state.areas = drawAreas(map, results[0], options);
        if (state.areas.getLayers().length) { bounds = state.areas.getBounds(); }
      }
      if (results[1]) {
        state.points = drawPoints(map, results[1]);
        if (!bounds && state.points.getLayers().length) { bounds = state.points.getBounds(); }
      }
      if (bounds) { map.fitBounds(bounds, { padding: [10, 10] }); }
      element.dataset.ready = "true";
      element.dispatchEvent(new CustomEvent("app-map:ready", { bubbles: true, detail: state }));
    }).catch(function (error) {
      element.dataset.ready = "error";
      var message = document.createElement("p");
      message.className = "govuk-body app-map__error";
      message.textContent = "The map could not be drawn (" + error.message + "). The table shows the same numbers.";
      element.appendChild(message);
    });
    return state;
  }

  function mountAll() {
    document.querySelectorAll('[data-module="app-map"]').forEach(mount);
  }

  window.NeighbourhoodMap = { mount: mount, mountAll: mountAll, colour: colour, quantileBreaks: quantileBreaks };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
