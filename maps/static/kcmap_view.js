/* kcmap – the map view kept in the URL hash, and the fullscreen button (after kcmap.js). */
(function () {
  "use strict";

  var kcmap = window.kcmap;

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
})();
