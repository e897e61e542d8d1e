/* kcmap – the gaps page's ranked list: a click or Enter zooms to the commune and outlines it
 * (after kcmap.js). */
(function () {
  "use strict";

  var kcmap = window.kcmap;
  var markReady = kcmap.shared.markReady;

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
