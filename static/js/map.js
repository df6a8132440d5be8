/* Leaflet maps: the map page (#house-map, loads /map/houses.json) and the house mini-map
   (.mini-map, one marker from its data- attributes). Settings come as data- attributes (the CSP
   allows no inline script). Tiles are optional: with none, or when they fail to load (offline),
   the markers stay on the element's plain background. Coordinates arrive already shifted for
   GCJ-02 tiles by the server, so nothing is converted here. */
(function () {
  "use strict";

  function baseMap(element, options) {
    // maxZoom on the map itself: without a tile layer (none configured) clustering needs it.
    var map = L.map(element, Object.assign({ worldCopyJump: true, zoomSnap: 0.5, maxZoom: 18 }, options || {}));
    var tiles = element.dataset.tiles;
    if (tiles) {
      // Leaflet's default subdomains (a, b, c) fill a {s} in the template. A tile that cannot be
      // fetched (offline) stays blank: the markers are a separate layer and still show.
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    return map;
  }

  function popupContent(name, href, approximate, note) {
    var box = document.createElement("div");
    var link = document.createElement(href ? "a" : "span");
    link.className = "map-popup-name";
    link.textContent = name;
    if (href) link.href = href;
    box.appendChild(link);
    if (approximate) {
      var p = document.createElement("p");
      p.className = "map-popup-note";
      p.textContent = note;
      box.appendChild(p);
    }
    return box;
  }

  function houseName(row, lang) {
    // row: [code, name_zh, name_en, lat, lon, approximate]
    return (lang === "en" && row[2]) ? row[2] : row[1];
  }

  function pageMap(element) {
    var status = document.querySelector("[data-map-status]");
    var counter = document.querySelector("[data-map-count]");
    var map = baseMap(element, { preferCanvas: false });
    map.setView([22.4, 112.6], 9);
    var finished = function (count) {
      if (counter) {
        counter.textContent = element.dataset.countLabel.replace("{n}", count);
        counter.hidden = false;
      }
      element.dataset.loaded = String(count);  // the browser test waits for this
    };
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false,
      // A province's tens of thousands of markers go in a few frames at a time; report when all are in.
      chunkProgress: function (done, total) { if (done === total) finished(total); }
    }).addTo(map);
    fetch(element.dataset.source, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var lang = element.dataset.lang, note = element.dataset.approximateLabel;
        var positions = data.houses.map(function (row) { return [row[3], row[4]]; });
        var markers = data.houses.map(function (row) {
          var name = houseName(row, lang);
          var marker = L.marker([row[3], row[4]], { title: name, alt: name });
          var href = element.dataset.houseUrl.replace("CODE", encodeURIComponent(row[0]));
          marker.bindPopup(function () { return popupContent(name, href, row[5], note); });
          return marker;
        });
        if (positions.length) map.fitBounds(L.latLngBounds(positions), { padding: [24, 24], maxZoom: 16 });
        if (markers.length) cluster.addLayers(markers); else finished(0);
      })
      .catch(function () {
        if (status) status.textContent = element.dataset.failedLabel;
        element.dataset.loaded = "error";
      });
  }

  function miniMap(element) {
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    var approximate = element.dataset.approximate === "1";
    var map = baseMap(element, { scrollWheelZoom: false });
    map.setView(point, approximate ? 14 : 16);
    var marker = approximate
      // An area, not a pin: the village's position is rounded to about 100 m and a village spans a few hundred.
      ? L.circle(point, { radius: 300, color: "#8a3324", weight: 2, fillOpacity: 0.15 })
      : L.marker(point, { title: element.dataset.name, alt: element.dataset.name });
    marker.bindPopup(popupContent(element.dataset.name, null, approximate, element.dataset.approximateLabel));
    marker.addTo(map);
    element.dataset.loaded = "1";
  }

  var page = document.getElementById("house-map");
  if (page) pageMap(page);
  Array.prototype.forEach.call(document.querySelectorAll(".mini-map"), miniMap);
})();
