/* kcmap review pages: a district map of establishments, and a draggable marker to move one.
   Data come from JSON script blocks; texts are set with textContent, never as HTML. */
(function () {
  "use strict";

  var COLORS = {conflict: "#c0392b", outside_district: "#8e44ad", commune_only: "#e67e22",
                unreviewed: "#2c7fb8"};

  var CLUSTER_FROM = 50;  /* more markers than this are clustered */

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
    if (item.commune) {
      box.appendChild(document.createElement("br"));
      box.appendChild(textElement("span", "Xã " + item.commune));
    }
    box.appendChild(document.createElement("br"));
    var link = document.createElement("a");
    link.href = "/review/" + encodeURIComponent(code) + "/establishments/" + item.id;
    link.textContent = "Mở trang cơ sở";
    box.appendChild(link);
    return box;
  }

  function districtMap(data) {
    var m = baseMap("kc-review-map", data);
    var located = data.items.filter(function (i) { return i.lat !== null && i.lon !== null; });
    var layer = (typeof L.markerClusterGroup === "function" && located.length > CLUSTER_FROM)
      ? L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false}) : L.layerGroup();
    var points = [];
    data.items.forEach(function (item) {
      if (item.lat === null || item.lon === null) { return; }
      var marker = L.circleMarker([item.lat, item.lon], {
        radius: 7, color: "#222", weight: 1, fillColor: colorOf(item.flags), fillOpacity: 0.9
      });
      marker.bindPopup(popup(item, data.district_code));
      marker.bindTooltip(textElement("span", item.name));
      layer.addLayer(marker);
      points.push([item.lat, item.lon]);
    });
    layer.addTo(m.map);
    if (m.bounds && m.bounds.isValid()) {
      m.map.fitBounds(m.bounds, {padding: [10, 10]});
    } else if (points.length) {
      m.map.fitBounds(points, {padding: [20, 20], maxZoom: 15});
    }
  }

  /* A typed number: decimal with a dot or a comma ("15,1234"); null if not that. */
  function decimal(text) {
    var t = String(text).trim().replace(",", ".");
    if (!/^-?\d{1,3}(\.\d+)?$/.test(t)) { return null; }
    return parseFloat(t);
  }

  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  /* Whether (lon, lat) is inside a GeoJSON (Multi)Polygon; true when there is no outline. */
  function inside(geometry, lon, lat) {
    if (!geometry) { return true; }
    var geom = geometry.type === "Feature" ? geometry.geometry : geometry;
    var polygons = geom.type === "Polygon" ? [geom.coordinates]
      : (geom.type === "MultiPolygon" ? geom.coordinates : null);
    if (!polygons) { return true; }
    return polygons.some(function (poly) {
      if (!ringContains(poly[0], lon, lat)) { return false; }
      for (var h = 1; h < poly.length; h++) {
        if (ringContains(poly[h], lon, lat)) { return false; }
      }
      return true;
    });
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
    function show(latlng) {
      note.textContent = "Vị trí mới: " + latlng.lat.toFixed(6) + ", " + latlng.lng.toFixed(6) +
        (inside(data.district, latlng.lng, latlng.lat) ? ""
          : " (ngoài ranh giới huyện " + data.district_name + ")") +
        " – bấm \"Lưu thay đổi\" để ghi.";
    }
    function place(latlng) {
      marker.setLatLng(latlng);
      lat.value = latlng.lat.toFixed(7);
      lon.value = latlng.lng.toFixed(7);
      show(latlng);
    }
    function typed() {  /* the pin follows decimal coordinates as they are typed */
      var y = decimal(lat.value), x = decimal(lon.value);
      if (y === null || x === null || Math.abs(y) > 90 || Math.abs(x) > 180) { return; }
      var latlng = L.latLng(y, x);
      marker.setLatLng(latlng);
      m.map.panTo(latlng);
      show(latlng);
    }
    lat.addEventListener("input", typed);
    lon.addEventListener("input", typed);
    marker.on("dragend", function () { place(marker.getLatLng()); });
    m.map.on("click", function (e) { place(e.latlng); });

    var gps = document.getElementById("kc-gps");
    var gpsNote = document.getElementById("kc-gps-note");
    if (gps) {
      if (!navigator.geolocation) {
        gps.disabled = true;
        gpsNote.textContent = "Trình duyệt này không cho biết vị trí.";
      }
      gps.addEventListener("click", function () {
        gpsNote.textContent = "Đang lấy vị trí…";
        navigator.geolocation.getCurrentPosition(function (pos) {
          var latlng = L.latLng(pos.coords.latitude, pos.coords.longitude);
          place(latlng);
          m.map.setView(latlng, Math.max(m.map.getZoom(), 16));
          gpsNote.textContent = "Đã lấy vị trí (sai số khoảng " +
            Math.round(pos.coords.accuracy) + " m).";
        }, function (err) {
          gpsNote.textContent = err.code === 1 ? "Chưa được phép dùng vị trí của máy."
            : "Không lấy được vị trí; hãy thử lại ngoài trời.";
        }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 0});
      });
    }

    var form = document.getElementById("kc-edit-form");
    var outside = document.getElementById("kc-confirm-outside");
    form.addEventListener("submit", function (e) {
      var submitter = e.submitter || {};
      var y = decimal(lat.value), x = decimal(lon.value);
      if (submitter.value !== "save" || y === null || x === null || !outside ||
          outside.type === "checkbox" || inside(data.district, x, y)) { return; }
      if (window.confirm("Điểm mới nằm ngoài ranh giới huyện " + data.district_name +
                         ". Vị trí này có đúng không?")) {
        outside.value = "1";
      } else {
        e.preventDefault();
      }
    });
  }

  /* Confirming from the list: come back to the same scroll position. */
  function keepScroll() {
    var key = "kc-review-scroll:" + location.pathname;
    document.querySelectorAll(".kc-cards form, .kc-done form").forEach(function (f) {
      f.addEventListener("submit", function () {
        try { sessionStorage.setItem(key, String(window.scrollY)); } catch (err) { /* off */ }
      });
    });
    var saved = null;
    try { saved = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (err) {
      saved = null;
    }
    if (saved !== null && /[?&]done=/.test(location.search)) {
      var y = parseInt(saved, 10) || 0;
      window.scrollTo(0, y);
      /* after the browser's own jump to #est-… (done at load) */
      window.addEventListener("load", function () {
        setTimeout(function () { window.scrollTo(0, y); }, 0);
      });
    }
  }

  var list = readData("kc-review-data");
  if (list) { districtMap(list); keepScroll(); }
  var edit = readData("kc-edit-data");
  if (edit) { editMap(edit); }
}());
