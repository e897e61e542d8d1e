/* kcmap – the page around a map: folding boxes and panel sections whose state is remembered
 * (localStorage), and the filter drawer on phones. No data text is handled here. */
(function () {
  "use strict";

  var PREFIX = "kcmap:fold:";

  function remembered(key, fallback) {
    try {
      var v = window.localStorage.getItem(PREFIX + key);
      return v === null ? fallback : v === "1";
    } catch (e) {
      return fallback;
    }
  }

  function remember(key, open) {
    try {
      window.localStorage.setItem(PREFIX + key, open ? "1" : "0");
    } catch (e) { /* private mode: not remembered */ }
  }

  function setupDetails() {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-kc-fold]"),
      function (d) {
        var key = d.getAttribute("data-kc-fold");
        d.open = remembered(key, d.open);
        d.addEventListener("toggle", function () { remember(key, d.open); });
      });
  }

  // A box marked data-kc-fold-default="fit" (legends) starts open when it covers at most a
  // tenth of its map, else folded; otherwise boxes start folded.
  function fits(b) {
    var box = b.closest(".kc-box");
    var map = b.closest(".folium-map");
    if (!box || !map) return true;
    var r = box.getBoundingClientRect(), m = map.getBoundingClientRect();
    return r.width * r.height <= 0.1 * m.width * m.height;
  }

  function setupBoxes() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-kc-fold-box]"),
      function (b) {
        var key = b.getAttribute("data-kc-fold-box");
        var body = b.nextElementSibling;
        function show(open) {
          b.setAttribute("aria-expanded", open ? "true" : "false");
          if (body) body.hidden = !open;
        }
        var fallback = false;
        if (b.getAttribute("data-kc-fold-default") === "fit") {
          show(true);
          fallback = fits(b);
        }
        show(remembered(key, fallback));
        b.addEventListener("click", function () {
          var open = b.getAttribute("aria-expanded") !== "true";
          show(open);
          remember(key, open);
        });
      });
  }

  function setupDrawer() {
    var toggle = document.querySelector(".kc-drawer-toggle");
    var aside = document.getElementById("kc-aside");
    if (!toggle || !aside) return;
    toggle.addEventListener("click", function () {
      var open = !document.body.classList.contains("kc-drawer-open");
      document.body.classList.toggle("kc-drawer-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("kc-drawer-open")) {
        document.body.classList.remove("kc-drawer-open");
        toggle.setAttribute("aria-expanded", "false");
      }
    });
  }

  function init() {
    setupDetails();
    setupBoxes();
    setupDrawer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
