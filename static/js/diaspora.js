/* The destinations map (#diaspora-map, loads /destinations.json): a circle for each place abroad
   and each home village, and a line from the village to each place its families went. Settings
   come as data- attributes (no inline script under the CSP); village positions arrive from the
   server already approximate (the village, never a house) and shifted for GCJ-02 tiles.
   Places across the Pacific are drawn east of China (longitude + 360) so the lines cross the
   ocean the emigrants crossed instead of running west around the world. */
(function () {
  "use strict";

  var CENTRE_LON = 110;  // south China: the villages' side of the world

  function eastward(lon) {
    return lon < CENTRE_LON - 180 ? lon + 360 : lon;
  }

  function popup(title, detail) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.className = "map-popup-name";
    name.textContent = title;
    box.appendChild(name);
    var p = document.createElement("p");
    p.className = "map-popup-note";
    p.textContent = detail;
    box.appendChild(p);
    return box;
  }

  function draw(element, data) {
    var map = L.map(element, { worldCopyJump: false, zoomSnap: 0.5, maxZoom: 12 });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 12, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    var housesLabel = element.dataset.housesLabel;
    var places = {};
    var bounds = [];
    data.destinations.forEach(function (d) {
      var point = [d.lat, eastward(d.lon)];
      places[d.key] = { point: point, label: d.label };
      bounds.push(point);
    });
    var villages = data.villages.map(function (v) { bounds.push([v.lat, v.lon]); return [v.lat, v.lon]; });
    data.lines.forEach(function (line) {
      var village = data.villages[line[0]], place = places[line[1]];
      if (!village || !place) return;
      L.polyline([villages[line[0]], place.point], {
        className: "diaspora-line", color: "#8a3324", weight: Math.min(1 + line[2], 6), opacity: 0.55
      }).bindPopup(popup(village.label + " → " + place.label, housesLabel.replace("{n}", line[2]))).addTo(map);
    });
    data.villages.forEach(function (v, i) {
      L.circleMarker(villages[i], { className: "diaspora-village", radius: 4, color: "#26231f", weight: 1,
                                    fillColor: "#f0d9a8", fillOpacity: 1 })
        .bindPopup(popup(v.label, housesLabel.replace("{n}", v.houses))).addTo(map);
    });
    data.destinations.forEach(function (d) {
      L.circleMarker(places[d.key].point, { className: "diaspora-destination", radius: 5 + Math.sqrt(d.houses) * 2,
                                            color: "#8a3324", weight: 2, fillColor: "#8a3324", fillOpacity: 0.35 })
        .bindPopup(popup(d.label, housesLabel.replace("{n}", d.houses))).addTo(map);
    });
    if (bounds.length) map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 8 });
    else map.setView([22.4, 112.6], 3);
    var status = document.querySelector("[data-map-status]");
    if (status) {
      status.textContent = element.dataset.countLabel.replace("{places}", data.destinations.length)
        .replace("{lines}", data.lines.length).replace("{villages}", data.villages.length);
    }
    element.dataset.loaded = String(data.destinations.length);  // the browser test waits for this
  }

  var element = document.getElementById("diaspora-map");
  if (!element) return;
  fetch(element.dataset.source, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (data) { draw(element, data); })
    .catch(function () {
      var status = document.querySelector("[data-map-status]");
      if (status) status.textContent = element.dataset.failedLabel;
      element.dataset.loaded = "error";
    });
})();
