/* kcmap review pages: a district map of establishments, and a draggable marker to move one.
   Data come from JSON script blocks; texts are set with textContent, never as HTML. */
(function () {
  "use strict";

  var COLORS = {conflict: "#c0392b", outside_district: "#8e44ad", commune_only: "#e67e22",
                unreviewed: "#2c7fb8"};

  function readData(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function baseMap(elementId, data) {
    var map = L.map(elementId, {zoomControl: true, maxZoom: 19, minZoom: 5});
    if (data.tiles) {
      L.tileLayer(data.tiles, {attribution: data.attribution, maxZoom: 19}).addTo(map);
    }
    var bounds = null;
    if (data.district) {
      var outline = L.geoJSON(data.district, {
        style: {color: "#333", weight: 2, fillColor: "#ffffff", fillOpacity: 0.6}, interactive: false
      }).addTo(map);
      bounds = outline.getBounds();
    }
    map.setView([15.0, 108.75], 9);
    if (window.kcmapContext) { window.kcmapContext.add(map, null, {url: "/api/units/context"}); }
    return {map: map, bounds: bounds};
  }

  function colorOf(flags) {
    var order = ["conflict", "outside_district", "commune_only", "unreviewed"];
    for (var i = 0; i < order.length; i++) {
      if (flags.indexOf(order[i]) >= 0) { return COLORS[order[i]]; }
    }
    return "#2ca25f";
  }

  function textElement(tag, text) {
    var e = document.createElement(tag);
    e.textContent = text === null || text === undefined ? "" : String(text);
    return e;
  }

  function popup(item, code) {
    var box = document.createElement("div");
    box.appendChild(textElement("strong", item.name));
    box.appendChild(document.createElement("br"));
    var link = document.createElement("a");
    link.href = "/review/" + encodeURIComponent(code) + "/establishments/" + item.id;
    link.textContent = "Sửa / di chuyển";
    box.appendChild(link);
    return box;
  }

  function districtMap(data) {
    var m = baseMap("kc-review-map", data);
    var points = [];
    data.items.forEach(function (item) {
      if (item.lat === null || item.lon === null) { return; }
      var marker = L.circleMarker([item.lat, item.lon], {
        radius: 6, color: "#222", weight: 1, fillColor: colorOf(item.flags), fillOpacity: 0.9
      });
      marker.bindPopup(popup(item, data.district_code));
      marker.bindTooltip(textElement("span", item.name));
      marker.addTo(m.map);
      points.push([item.lat, item.lon]);
    });
    if (m.bounds && m.bounds.isValid()) {
      m.map.fitBounds(m.bounds, {padding: [10, 10]});
    } else if (points.length) {
      m.map.fitBounds(points, {padding: [20, 20], maxZoom: 15});
    }
  }

  function editMap(data) {
    var m = baseMap("kc-edit-map", data);
    var start = (data.lat !== null && data.lon !== null) ? L.latLng(data.lat, data.lon)
      : (m.bounds && m.bounds.isValid() ? m.bounds.getCenter() : L.latLng(15.0, 108.75));
    var marker = L.marker(start, {
      draggable: !!data.editable, title: data.name, autoPan: true,
      icon: new L.Icon.Default({className: "kc-edit-marker"})
    }).addTo(m.map);
    if (data.lat !== null) {
      m.map.setView(start, 15);
    } else if (m.bounds && m.bounds.isValid()) {
      m.map.fitBounds(m.bounds);
    }
    if (!data.editable) { return; }
    var lat = document.getElementById("kc-lat");
    var lon = document.getElementById("kc-lon");
    var note = document.getElementById("kc-new-pos");
    function place(latlng) {
      marker.setLatLng(latlng);
      lat.value = latlng.lat.toFixed(7);
      lon.value = latlng.lng.toFixed(7);
      note.textContent = "Vị trí mới: " + lat.value + ", " + lon.value +
        " – bấm \"Lưu thay đổi\" để ghi.";
    }
    marker.on("dragend", function () { place(marker.getLatLng()); });
    m.map.on("click", function (e) { place(e.latlng); });
  }

  var list = readData("kc-review-data");
  if (list) { districtMap(list); }
  var edit = readData("kc-edit-data");
  if (edit) { editMap(edit); }
}());
