/* The progress page's map: recognised products and communes without a collaborator.
   Data comes from a JSON island; every text is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var island = document.getElementById("kc-progress-data");
  var box = document.getElementById("kc-progress-map");
  if (!island || !box || typeof L === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  var map = L.map(box, {zoomControl: true, maxZoom: 16, minZoom: 7});
  var bounds = [];

  function popup(lines) {
    var div = document.createElement("div");
    lines.forEach(function (line, i) {
      var p = document.createElement(i === 0 ? "strong" : "div");
      p.textContent = line;
      div.appendChild(p);
    });
    return div;
  }

  data.products.forEach(function (p) {
    var what = p.kind + (p.stars ? " " + p.stars + " sao" : "") + ", " + p.level + ", năm " + p.year;
    L.circleMarker([p.lat, p.lon], {radius: 6, color: "#1a7f37", fillOpacity: 0.8})
      .bindPopup(popup([p.name, what, p.establishment || "", p.commune || ""])).addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  data.missing.forEach(function (c) {
    L.circleMarker([c.lat, c.lon], {radius: 5, color: "#b2182b", fillOpacity: 0.5})
      .bindPopup(popup([c.name, c.district || "", "Chưa có cộng tác viên khuyến công"]))
      .addTo(map);
    bounds.push([c.lat, c.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, {padding: [20, 20]}); }
  else { map.setView([15.0, 108.6], 9); }

  var file = document.getElementById("kc-csv-file");
  var text = document.getElementById("kc-csv-text");
  if (file && text) {
    file.addEventListener("change", function () {
      if (!file.files || !file.files[0]) { return; }
      var reader = new FileReader();
      reader.onload = function () { text.value = String(reader.result); };
      reader.readAsText(file.files[0], "utf-8");
    });
  }
}());
