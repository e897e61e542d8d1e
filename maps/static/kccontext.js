/* kcmap – context beneath every map: district and commune outlines with their names, drawn
 * from /api/units/context (no basemap needed). Names are permanent Leaflet tooltips whose
 * content is a DOM node filled with textContent, never HTML.
 * District names show at province view, commune names from COMMUNE_ZOOM on; Lý Sơn (an
 * island district far off the coast) keeps its name at every zoom. */
(function () {
  "use strict";

  var COMMUNE_ZOOM = 11;
  var COMMUNE_OUTLINE_ZOOM = 10;
  var LY_SON = /l[yý]\s*s[oơ]n/i;

  function label(props, cls) {
    var node = document.createElement("span");
    node.textContent = String(props.short_name || props.name || "");
    node.title = String(props.name || "");
    var anchor = L.marker([props.label[1], props.label[0]], {
      icon: L.divIcon({ className: "kc-label-anchor", iconSize: [0, 0] }),
      interactive: false, keyboard: false,
    });
    anchor.bindTooltip(node, { permanent: true, direction: "center", interactive: false,
      className: "kc-label " + cls });
    return anchor;
  }

  function labels(fc, cls, keep) {
    var group = L.layerGroup();
    var kept = L.layerGroup();
    (fc.features || []).forEach(function (f) {
      var p = f.properties || {};
      if (!p.label) return;
      var isKept = keep && LY_SON.test(String(p.name || ""));
      (isKept ? kept : group).addLayer(label(p, cls + (isKept ? " kc-label-keep" : "")));
    });
    return { group: group, kept: kept };
  }

  function provinceBounds(layer) {
    var b = layer.getBounds();
    return b.isValid() ? b : null;
  }

  function add(map, control, cfg) {
    cfg = cfg || {};
    var container = map.getContainer();
    if (!map.getPane("kcContext")) {
      var pane = map.createPane("kcContext");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
    }
    return fetch(cfg.url || "/api/units/context", { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        var districtLines = L.geoJSON(data.districts, { pane: "kcContext", interactive: false,
          style: { color: "#2b2b2b", weight: 1.6, opacity: 0.85, fill: false } });
        var communeLines = L.geoJSON(data.communes, { pane: "kcContext", interactive: false,
          style: { color: "#6b6b6b", weight: 0.6, opacity: 0.7, fill: false } });
        var hasDistricts = (data.districts.features || []).length > 0;
        var d = labels(data.districts, "kc-label-district", true);
        var c = labels(data.communes, "kc-label-commune", !hasDistricts);
        var names = L.layerGroup();
        function update() {
          var z = map.getZoom();
          var communes = z >= (hasDistricts ? COMMUNE_ZOOM : COMMUNE_ZOOM - 1);
          [[d.group, !communes], [c.group, communes]].forEach(function (x) {
            if (x[1] && !names.hasLayer(x[0])) names.addLayer(x[0]);
            if (!x[1] && names.hasLayer(x[0])) names.removeLayer(x[0]);
          });
          if (z >= COMMUNE_OUTLINE_ZOOM) communeLines.addTo(map);
          else communeLines.remove();
        }
        names.addLayer(d.kept);
        names.addLayer(c.kept);
        districtLines.addTo(map);
        names.addTo(map);
        map.on("zoomend", update);
        update();
        if (control) {
          control.addOverlay(districtLines, hasDistricts ? "Ranh giới huyện" : "Ranh giới xã");
          control.addOverlay(names, "Tên huyện, xã");
        }
        var bounds = provinceBounds(hasDistricts ? districtLines : communeLines);
        if (bounds) map.kcProvinceBounds = bounds;
        container.setAttribute("data-kc-context", "1");
        return map;
      })
      .catch(function (err) {
        if (window.console) console.warn("kcmap context:", err);
        container.setAttribute("data-kc-context", "0");
      });
  }

  window.kcmapContext = { add: add, COMMUNE_ZOOM: COMMUNE_ZOOM };
})();
