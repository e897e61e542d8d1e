/* kcmap – scripts of the map pages. Offline, no framework: Leaflet (and MarkerCluster) only.
 * Every text that comes from the data is set with textContent, never as HTML.
 * This file: the kcmap namespace, formatting, data loading and popups/tooltips, shared by
 * kcmap_view.js (URL view, fullscreen), kcmap_points.js, kcmap_projects.js, kcmap_gaps.js
 * and kcmap_tiles.js, which load after it. */
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
  // What the page scripts (kcmap_points.js, kcmap_projects.js, kcmap_tiles.js …) share.
  kcmap.shared = { el: el, safeColor: safeColor, markReady: markReady, loadJson: loadJson,
    describe: describe, showMessage: showMessage, fieldValue: fieldValue,
    recordLink: recordLink, table: table, recordPopup: recordPopup, tooltipOf: tooltipOf };
})();
