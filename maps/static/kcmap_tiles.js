/* kcmap – the establishments map from vector tiles (loaded after kcmap.js, only on a page
 * whose points come from /tiles/…). Every text from the data is set with textContent. */
(function () {
  "use strict";

  var kcmap = window.kcmap;
  var s = kcmap.shared;
  var el = s.el, markReady = s.markReady, showMessage = s.showMessage;
  var recordPopup = s.recordPopup, tooltipOf = s.tooltipOf, formatInt = kcmap.formatInt;

  // More points than a page can carry: Leaflet.VectorGrid draws them from /tiles/…, clustered
  // per tile by the server. A cluster (count > 1) is drawn as MarkerCluster draws one (a
  // marker with its count, set as text); a lone point as a circle with the record's popup.
  kcmap.tilePoints = function (map, control, cfg, colorOf, metaOf, radius) {
    if (L.DomEvent && !L.DomEvent.fakeStop) {
      // VectorGrid 1.3's canvas renderer calls this Leaflet 1.7 helper, gone in Leaflet 1.9.
      L.DomEvent.fakeStop = function (e) { e._stopped = true; };
    }
    var layerName = "establishments";
    var clusters = L.layerGroup();
    var byTile = {};
    var ready = false;
    var tip = null;

    function clusterIcon(n) {
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      var box = el("div");
      box.appendChild(el("span", "", formatInt(n)));
      return L.divIcon({ html: box, className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40) });
    }

    function pointStyle(props) {
      if (props.count > 1) return [];
      var color = colorOf(props);
      var approx = props.precision !== "exact";
      return { radius: radius, weight: 2, color: approx ? color : "#ffffff", opacity: 1,
        fill: true, fillColor: approx ? "#ffffff" : color, fillOpacity: 1 };
    }

    var Grid = L.VectorGrid.Protobuf.extend({
      _getVectorTilePromise: function (coords) {
        var key = this._tileCoordsToKey(coords);
        var size = this.getTileSize();
        return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords)
          .then(function (vt) {
            var layer = vt.layers[layerName];
            var markers = [];
            (layer ? layer.features : []).forEach(function (f) {
              var g = f.geometry[0][0];
              var p = L.point(coords.x * size.x + g.x * size.x / layer.extent,
                coords.y * size.y + g.y * size.y / layer.extent);
              f.kcLatLng = map.unproject(p, coords.z);
              if (!(f.properties.count > 1)) return;
              var m = L.marker(f.kcLatLng,
                { icon: clusterIcon(f.properties.count), keyboard: false });
              m.kcCount = f.properties.count;
              markers.push(m);
            });
            byTile[key] = markers;
            if (map.getZoom() === coords.z) markers.forEach(function (m) { clusters.addLayer(m); });
            return vt;
          });
      },
      // Leaflet 1.9 places the events of small circles at their latlng, which VectorGrid's
      // point symbols lack: give each the position computed above.
      _createLayer: function (feat, pxPerExtent, layerStyle) {
        var symbol = L.VectorGrid.Protobuf.prototype._createLayer.call(this, feat, pxPerExtent,
          layerStyle);
        if (feat.kcLatLng) symbol._latlng = feat.kcLatLng;
        return symbol;
      },
    });
    var opts = { vectorTileLayerStyles: {}, interactive: true,
      rendererFactory: L.canvas.tile, fetchOptions: { credentials: "same-origin" },
      getFeatureId: function (f) { return f.properties.id; } };
    opts.vectorTileLayerStyles[layerName] = pointStyle;
    var grid = new Grid(cfg.tiles, opts);
    grid.on("tileunload", function (e) {
      var key = grid._tileCoordsToKey(e.coords);
      (byTile[key] || []).forEach(function (m) { clusters.removeLayer(m); });
      delete byTile[key];
    });
    grid.on("load", function () {
      if (!ready) {
        ready = true;
        markReady(map);
      }
    });
    grid.on("click", function (e) {
      var props = e.layer && e.layer.properties;
      if (!props || props.count > 1) return;
      map.openPopup(recordPopup(cfg, { id: props.id, properties: props }), e.latlng,
        { maxWidth: 340 });
    });
    grid.on("mouseover", function (e) {
      var props = e.layer && e.layer.properties;
      if (!props || props.count > 1) return;
      if (tip) map.closeTooltip(tip);
      tip = L.tooltip({ direction: "top", offset: [0, -radius], className: "kc-tip" })
        .setLatLng(e.latlng).setContent(tooltipOf(props.name, metaOf(props)));
      map.openTooltip(tip);
    });
    grid.on("mouseout", function () {
      if (tip) map.closeTooltip(tip);
      tip = null;
    });
    clusters.on("click", function (e) {
      var m = e.layer;
      if (map.getZoom() < map.getMaxZoom() && map.getZoom() < cfg.pointsZoom + 2) {
        map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom()));
      } else {
        map.openPopup(el("div", "kc-popup", formatInt(m.kcCount) +
          " cơ sở ở cùng vị trí (thường là tâm xã: vị trí gần đúng)"), m.getLatLng());
      }
    });
    map.on("zoomstart", function () { clusters.clearLayers(); });
    map.on("zoomend", function () {
      var z = map.getZoom();
      Object.keys(byTile).forEach(function (key) {
        if (Number(key.split(":")[2]) !== z) return;
        byTile[key].forEach(function (m) { clusters.addLayer(m); });
      });
    });
    var group = L.layerGroup([grid, clusters]);
    function attach() {
      group.addTo(map);
      if (control) control.addOverlay(group, cfg.layerName);
    }
    // The page's fitBounds zooms (animated, from the next frame on) from the map's first
    // zoom: tiles added before it ends would be fetched for both zooms.
    L.Util.requestAnimFrame(function () {
      if (map._animatingZoom) map.once("zoomend", attach); else attach();
    });
    showMessage(cfg.searchCount, "Nhiều điểm: bản đồ vẽ từ ô vector, chưa tìm được theo tên; " +
      "phóng to để xem từng cơ sở.");
  };
})();
