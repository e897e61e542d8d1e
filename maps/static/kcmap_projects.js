/* kcmap – the projects map: proportional circles, district-level outlines, summary
 * (after kcmap.js). Text via textContent. */
(function () {
  "use strict";

  var kcmap = window.kcmap;
  var s = kcmap.shared;
  var el = s.el, table = s.table, recordLink = s.recordLink, tooltipOf = s.tooltipOf,
    safeColor = s.safeColor, markReady = s.markReady, loadJson = s.loadJson,
    describe = s.describe, showMessage = s.showMessage;
  var formatInt = kcmap.formatInt, formatVnd = kcmap.formatVnd;

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
})();
