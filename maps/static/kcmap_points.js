/* kcmap – the point maps (establishments, villages): markers, clusters, popups, name search
 * (after kcmap.js; above the tile threshold, kcmap_tiles.js draws them). Text via textContent. */
(function () {
  "use strict";

  var kcmap = window.kcmap;
  var s = kcmap.shared;
  var el = s.el, fieldValue = s.fieldValue, recordPopup = s.recordPopup,
    tooltipOf = s.tooltipOf, safeColor = s.safeColor, markReady = s.markReady,
    loadJson = s.loadJson, describe = s.describe, showMessage = s.showMessage;
  var formatInt = kcmap.formatInt, fold = kcmap.fold;

  /* ---------------------------------------------------------------- points */

  kcmap.points = function (map, control, cfg) {
    var icons = {};
    var radius = cfg.radius || 6;
    var markers = [];
    var group;
    var loading = false;

    function colorOf(props) {
      var key = props[cfg.colorBy];
      var c = key !== null && key !== undefined ? cfg.colors[key] : null;
      return safeColor(c, safeColor(cfg.otherColor, "#9a9a9a"));
    }

    function iconFor(color, approx) {
      var key = color + (approx ? "a" : "e");
      if (!icons[key]) {
        var style = approx ? "border-color:" + color + ";background:#fff"
          : "background:" + color;
        icons[key] = L.divIcon({
          className: "kc-pt" + (approx ? " kc-pt-approx" : ""),
          html: '<span style="' + style + '"></span>',
          iconSize: [radius * 2, radius * 2],
        });
      }
      return icons[key];
    }

    function metaOf(props) {
      var first = cfg.fields.length ? fieldValue(cfg, props, cfg.fields[0]) : null;
      var district = props.district ? (cfg.districts || {})[props.district] : props.district_name;
      return [first, district].filter(Boolean).join(" · ");
    }

    function openPopup(m) {
      if (!m.getPopup()) m.bindPopup(recordPopup(cfg, m.feature), { maxWidth: 340 });
      m.openPopup();
    }

    function focus(m) {
      if (cfg.cluster) {
        group.zoomToShowLayer(m, function () { openPopup(m); });
      } else {
        map.setView(m.getLatLng(), Math.max(map.getZoom(), 14));
        openPopup(m);
      }
    }

    function setupSearch() {
      var input = document.querySelector(cfg.search);
      var list = document.querySelector(cfg.results);
      var count = document.querySelector(cfg.searchCount);
      if (!input || !list) return;
      var keys = markers.map(function (m) { return fold(m.feature.properties.name); });
      var timer = null;
      function run() {
        var q = fold(input.value.trim());
        list.textContent = "";
        if (!q) {
          if (count) count.textContent = "";
          return;
        }
        var hits = 0;
        for (var i = 0; i < keys.length; i++) {
          if (keys[i].indexOf(q) < 0) continue;
          hits += 1;
          if (hits > 50) continue;
          var m = markers[i];
          var li = el("li");
          var b = el("button", "kc-result");
          b.type = "button";
          b.appendChild(el("span", "kc-result-name", m.feature.properties.name));
          b.appendChild(el("span", "kc-result-meta", metaOf(m.feature.properties)));
          b.addEventListener("click", focus.bind(null, m));
          li.appendChild(b);
          list.appendChild(li);
        }
        if (count) {
          count.textContent = hits === 0 ? "Không tìm thấy" : hits > 50
            ? "Tìm thấy " + formatInt(hits) + ", hiện 50 kết quả đầu" : "Tìm thấy " + hits;
        }
      }
      input.disabled = false;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 120);
      });
      if (input.value) run();
    }

    var input = document.querySelector(cfg.search);
    if (input) input.disabled = true;
    if (cfg.tiles) {
      kcmap.tilePoints(map, control, cfg, colorOf, metaOf, radius);  // kcmap_tiles.js
      return;
    }
    loadJson(cfg.url).then(function (fc) {
      fc.features.forEach(function (f) {
        if (!f.geometry || f.geometry.type !== "Point") return;
        var c = f.geometry.coordinates;
        var approx = f.properties.precision !== "exact";
        var m = L.marker([c[1], c[0]], { icon: iconFor(colorOf(f.properties), approx),
          keyboard: false });
        m.feature = f;
        markers.push(m);
      });
      group = cfg.cluster
        ? L.markerClusterGroup({ chunkedLoading: true, chunkInterval: 400, chunkDelay: 10,
          showCoverageOnHover: false,
          maxClusterRadius: 60, spiderfyOnMaxZoom: true,
          chunkProgress: function (done, total) {
            // MarkerCluster draws the clusters right after the last report: mark ready then.
            if (loading && done === total) {
              loading = false;
              setTimeout(function () { markReady(map); }, 0);
            }
          } })
        : L.featureGroup();
      group.on("click", function (e) {
        if (e.layer && e.layer.feature) openPopup(e.layer);
      });
      group.on("mouseover", function (e) {
        var m = e.layer;
        if (!m || !m.feature) return;
        if (!m.getTooltip()) {
          m.bindTooltip(tooltipOf(m.feature.properties.name, metaOf(m.feature.properties)),
            { direction: "top", offset: [0, -radius], className: "kc-tip" });
        }
        m.openTooltip();
      });
      group.addTo(map);
      if (control) control.addOverlay(group, cfg.layerName);
      if (cfg.cluster) {
        loading = markers.length > 0;
        group.addLayers(markers);
        if (!markers.length) markReady(map);
      } else {
        markers.forEach(function (m) { group.addLayer(m); });
        markReady(map);
      }
      setupSearch();
    }).catch(function (err) {
      showMessage(cfg.searchCount, "Không tải được dữ liệu: " + describe(err));
      markReady(map);
    });
  };
})();
