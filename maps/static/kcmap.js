/* kcmap – scripts of the map pages. Offline, no framework: Leaflet (and MarkerCluster) only.
 * Every text that comes from the data is set with textContent, never as HTML. */
(function () {
  "use strict";

  var kcmap = (window.kcmap = {});
  var COLOR = /^#[0-9a-fA-F]{6}$/;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function formatInt(n) {
    var v = Math.round(Number(n));
    var s = String(Math.abs(v)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (v < 0 ? "-" : "") + s;
  }

  function formatVnd(n) {
    return formatInt(n) + " đ";
  }

  function fold(s) {
    return String(s || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  function safeColor(c, fallback) {
    return COLOR.test(String(c)) ? c : fallback;
  }

  function markReady(map) {
    map.getContainer().setAttribute("data-kc-ready", "1");
    window.kcmapReady = true;
    document.dispatchEvent(new CustomEvent("kcmap:ready"));
  }

  function loadJson(url) {
    // Same request as the page's <link rel="preload" as="fetch">, so the download started
    // while the scripts loaded is reused.
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
  }

  function describe(err) {
    if (window.console) console.warn(err);
    return err && err.message ? err.message : String(err);
  }

  function showMessage(selector, text) {
    var box = selector && document.querySelector(selector);
    if (box) box.textContent = text;
  }

  kcmap.formatInt = formatInt;
  kcmap.formatVnd = formatVnd;
  kcmap.fold = fold;

  /* ---------------------------------------------------------------- view in the URL */

  /* The map view (zoom, centre) is kept in the URL hash, #map=<zoom>/<lat>/<lon>, so a copied
     link reopens the same view; a hash present on load wins over the page's default view. */
  var VIEW_HASH = /^#map=(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/;

  kcmap.keepView = function (map) {
    var m = VIEW_HASH.exec(window.location.hash);
    if (m) {
      var zoom = Math.max(map.getMinZoom() || 0, Math.min(map.getMaxZoom() || 19,
                                                           parseInt(m[1], 10)));
      var lat = parseFloat(m[2]), lon = parseFloat(m[3]);
      if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) map.setView([lat, lon], zoom);
    }
    map.on("moveend", function () {
      var c = map.getCenter();
      var hash = "#map=" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
      if (window.location.hash !== hash && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname +
                                    window.location.search + hash);
      }
    });
  };

  /* ---------------------------------------------------------------- fullscreen */

  kcmap.fullscreen = function (map) {
    var container = map.getContainer();
    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar leaflet-control kc-fullscreen");
        var a = L.DomUtil.create("a", "", box);
        var icon = L.DomUtil.create("span", "fa-solid fa-expand", a);
        a.href = "#";
        a.setAttribute("role", "button");
        var wasOn = false;
        map.kcInitialBounds = map.getBounds();
        function isOn() {
          return document.fullscreenElement === container ||
            container.classList.contains("kc-pseudo-fullscreen");
        }
        function update() {
          var on = isOn();
          a.title = on ? "Thoát toàn màn hình" : "Xem toàn màn hình";
          a.setAttribute("aria-label", a.title);
          a.setAttribute("aria-pressed", on ? "true" : "false");
          icon.className = on ? "fa-solid fa-compress" : "fa-solid fa-expand";
          box.classList.toggle("kc-fullscreen-on", on);
          container.classList.toggle("kc-fs", on);
          map.invalidateSize();
          // Fullscreen shows the whole province (Lý Sơn included), larger text on wide screens.
          if (on !== wasOn) {
            wasOn = on;
            var fit = map.kcProvinceBounds || map.kcInitialBounds;
            if (on && fit) map.fitBounds(fit, { padding: [12, 12] });
          }
        }
        function pseudo(on) {
          container.classList.toggle("kc-pseudo-fullscreen", on);
          update();
        }
        function toggle() {
          if (document.fullscreenElement) {
            document.exitFullscreen().catch(function () { update(); });
          } else if (container.classList.contains("kc-pseudo-fullscreen")) {
            pseudo(false);
          } else if (container.requestFullscreen) {
            container.requestFullscreen().catch(function () { pseudo(true); });
          } else {
            pseudo(true);
          }
        }
        L.DomEvent.on(a, "click", function (e) {
          L.DomEvent.stop(e);
          toggle();
        });
        L.DomEvent.disableClickPropagation(box);
        document.addEventListener("fullscreenchange", update);
        document.addEventListener("keydown", function (e) {
          if (e.key === "Escape" && container.classList.contains("kc-pseudo-fullscreen")) {
            pseudo(false);
          }
        });
        update();
        return box;
      },
    });
    new Control().addTo(map);
  };

  /* ---------------------------------------------------------------- popups */

  function fieldValue(cfg, props, field) {
    var v = props[field[0]];
    if (v === null || v === undefined || v === "") return null;
    switch (field[2]) {
      case "int": return formatInt(v);
      case "vnd": return formatVnd(v);
      case "precision": return (cfg.precisionLabels || {})[v] || v;
      case "status": return (cfg.statusLabels || {})[v] || v;
      case "district": return (cfg.districts || {})[v] || v;
      default: return String(v);
    }
  }

  function recordLink(url, id) {
    var a = el("a", "kc-json", "Xem trang bản ghi");
    a.href = url + encodeURIComponent(id);
    return a;
  }

  function table(rows) {
    var t = el("table", "kc-popup-table");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined) return;
      var tr = el("tr");
      tr.appendChild(el("th", "", r[0]));
      tr.appendChild(el("td", "", r[1]));
      t.appendChild(tr);
    });
    return t;
  }

  function recordPopup(cfg, feature) {
    var props = feature.properties;
    var box = el("div", "kc-popup");
    box.appendChild(el("div", "kc-popup-title", props.name));
    box.appendChild(table(cfg.fields.map(function (f) {
      return [f[1], fieldValue(cfg, props, f)];
    })));
    box.appendChild(recordLink(cfg.recordUrl, feature.id));
    return box;
  }

  function tooltipOf(text, meta) {
    var box = el("div", "kc-tip-body");
    box.appendChild(el("div", "kc-tip-name", text));
    if (meta) box.appendChild(el("div", "kc-tip-meta", meta));
    return box;
  }

  // for kcmap_tiles.js
  kcmap.shared = { el: el, markReady: markReady, showMessage: showMessage,
    recordPopup: recordPopup, tooltipOf: tooltipOf };

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

  /* ---------------------------------------------------------------- projects */

  kcmap.projects = function (map, control, cfg) {
    var renderer = L.canvas({ padding: 0.3 });
    var names = cfg.activityNames || {};

    function radiusFor(vnd) {
      return Math.max(cfg.minRadius, cfg.radiusPerSqrtMillion * Math.sqrt(Math.max(vnd, 0) / 1e6));
    }

    function projectRows(p, share) {
      return [
        ["Năm", String(p.year)],
        ["Hoạt động", names[p.activity_type] || p.activity_type],
        ["Nguồn", (cfg.sourceLabels || {})[p.funding_source] || p.funding_source],
        ["Kinh phí khuyến công", formatVnd(p.budget_vnd)],
        ["Vốn đối ứng", formatVnd(p.counterpart_vnd)],
        ["Tại địa điểm này", share === null ? null : formatVnd(share) +
          (p.locations.length > 1 ? " (chia đều " + p.locations.length + " địa điểm)" : "")],
        ["Đơn vị thụ hưởng", p.beneficiary],
      ];
    }

    function pointPopup(item) {
      var p = item.f.properties;
      var box = el("div", "kc-popup");
      box.appendChild(el("div", "kc-popup-title", p.title));
      box.appendChild(table(projectRows(p, item.loc.share_vnd)));
      box.appendChild(recordLink(cfg.recordUrl, item.f.id));
      return box;
    }

    function districtPopup(name, items, total) {
      var box = el("div", "kc-popup");
      box.appendChild(el("div", "kc-popup-title", name));
      box.appendChild(el("p", "", items.length + " đề án chỉ xác định đến cấp huyện, " +
        formatVnd(total) + " (không đặt điểm trong xã nào)"));
      var ul = el("ul", "kc-popup-list");
      items.slice(0, 100).forEach(function (it) {
        var li = el("li");
        li.appendChild(el("span", "", it.f.properties.year + " · " + it.f.properties.title +
          " · " + formatVnd(it.loc.share_vnd) + " "));
        li.appendChild(recordLink(cfg.recordUrl, it.f.id));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (items.length > 100) box.appendChild(el("p", "", "và " + (items.length - 100) + " đề án khác"));
      return box;
    }

    loadJson(cfg.url).then(function (fc) {
      var points = [];
      var byDistrict = {};
      var skipped = { n: 0, vnd: 0 };
      var districtVnd = 0;
      fc.features.forEach(function (f) {
        var p = f.properties;
        if (!p.locations.length) {
          skipped.n += 1;
          skipped.vnd += p.budget_vnd;
          return;
        }
        var placed = false;
        p.locations.forEach(function (loc) {
          if (loc.lon !== null && loc.lat !== null) {
            points.push({ f: f, loc: loc });
            placed = true;
          } else if (loc.district) {
            (byDistrict[loc.district] = byDistrict[loc.district] || []).push({ f: f, loc: loc });
            districtVnd += loc.share_vnd;
            placed = true;
          } else {
            skipped.vnd += loc.share_vnd;
          }
        });
        if (!placed) skipped.n += 1;
      });

      var outlines = L.featureGroup();
      var totals = {};
      var maxTotal = 0;
      Object.keys(byDistrict).forEach(function (code) {
        totals[code] = byDistrict[code].reduce(function (s, it) { return s + it.loc.share_vnd; }, 0);
        maxTotal = Math.max(maxTotal, totals[code]);
      });
      (cfg.districts.features || []).forEach(function (d) {
        var items = byDistrict[d.properties.code];
        if (!items) return;
        var w = 1.5 + 5 * Math.sqrt(totals[d.properties.code] / (maxTotal || 1));
        var color = safeColor(cfg.districtColor, "#6a3d9a");
        var layer = L.geoJSON(d, { renderer: renderer, style: { color: color, weight: w,
          dashArray: "8 5", fillColor: color, fillOpacity: 0.06 } });
        layer.bindTooltip(tooltipOf(d.properties.name, items.length + " đề án cấp huyện · " +
          formatVnd(totals[d.properties.code])), { sticky: true, className: "kc-tip" });
        layer.bindPopup(districtPopup(d.properties.name, items, totals[d.properties.code]),
          { maxWidth: 380, maxHeight: 320 });
        outlines.addLayer(layer);
      });

      points.sort(function (a, b) { return b.loc.share_vnd - a.loc.share_vnd; });
      var groups = { KCQG: L.featureGroup(), KCDP: L.featureGroup() };
      points.forEach(function (item) {
        var p = item.f.properties;
        var national = p.funding_source === "KCQG";
        var m = L.circleMarker([item.loc.lat, item.loc.lon], {
          renderer: renderer, radius: radiusFor(item.loc.share_vnd),
          fillColor: safeColor(cfg.colors[p.activity_type], safeColor(cfg.otherColor, "#9a9a9a")),
          fillOpacity: 0.8, color: national ? "#222" : "#fff", weight: national ? 2 : 1,
          dashArray: item.loc.precision === "commune" ? "3 2" : null,
        });
        m.kcItem = item;
        (groups[p.funding_source] || groups.KCDP).addLayer(m);
      });
      [groups.KCQG, groups.KCDP].forEach(function (g) {
        g.on("click", function (e) {
          var m = e.layer;
          if (!m.getPopup()) m.bindPopup(pointPopup(m.kcItem), { maxWidth: 340 });
          m.openPopup();
        });
        g.on("mouseover", function (e) {
          var m = e.layer;
          if (!m.getTooltip()) {
            m.bindTooltip(tooltipOf(m.kcItem.f.properties.title,
              formatVnd(m.kcItem.loc.share_vnd)), { direction: "top", className: "kc-tip" });
          }
          m.openTooltip();
        });
      });
      outlines.addTo(map);
      groups.KCDP.addTo(map);
      groups.KCQG.addTo(map);
      if (control) {
        control.addOverlay(groups.KCQG, "Đề án KCQG (điểm)");
        control.addOverlay(groups.KCDP, "Đề án KCĐP (điểm)");
        control.addOverlay(outlines, "Đề án cấp huyện (viền huyện)");
      }
      var s = fc.summary || {};
      showMessage(cfg.summary, formatInt(s.projects || 0) + " đề án, tổng kinh phí khuyến công " +
        formatVnd(s.total_vnd || 0) + "; " + formatInt(points.length) + " địa điểm vẽ thành điểm; " +
        Object.keys(byDistrict).length + " huyện có đề án cấp huyện (" + formatVnd(districtVnd) + ").");
      showMessage(cfg.notes, skipped.vnd || skipped.n
        ? "Không vẽ được (đề án cấp tỉnh hoặc chưa có vị trí): " + formatInt(skipped.n) +
          " đề án, " + formatVnd(skipped.vnd) + "."
        : "Mọi đề án đều có địa điểm trên bản đồ.");
      markReady(map);
    }).catch(function (err) {
      showMessage(cfg.summary, "Không tải được dữ liệu đề án: " + describe(err));
      markReady(map);
    });
  };

  /* ---------------------------------------------------------------- gaps list */

  kcmap.gapsList = function (map, control, cfg) {
    var list = document.querySelector(cfg.list);
    var byCode = {};
    map.eachLayer(function (layer) {
      if (layer.feature && layer.feature.id !== undefined && layer.setStyle) {
        byCode[layer.feature.id] = layer;
      }
    });
    function go(li) {
      var b = (li.getAttribute("data-bbox") || "").split(",").map(Number);
      if (b.length === 4 && b.every(isFinite)) {
        map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 13, padding: [20, 20] });
      }
      Array.prototype.forEach.call(list.querySelectorAll("li.kc-selected"), function (x) {
        x.classList.remove("kc-selected");
      });
      li.classList.add("kc-selected");
      var layer = byCode[li.getAttribute("data-code")];
      if (layer) {
        var old = { weight: layer.options.weight, color: layer.options.color };
        layer.setStyle({ weight: 4, color: "#000" });
        layer.bringToFront();
        setTimeout(function () { layer.setStyle(old); }, 2500);
      }
    }
    if (list) {
      list.addEventListener("click", function (e) {
        var li = e.target.closest("li[data-code]");
        if (li) go(li);
      });
      list.addEventListener("keydown", function (e) {
        if (e.key !== "Enter" && e.key !== " ") return;
        var li = e.target.closest("li[data-code]");
        if (li) {
          e.preventDefault();
          go(li);
        }
      });
    }
    markReady(map);
  };
})();
