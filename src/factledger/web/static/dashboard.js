/* factledger dashboard: map (Leaflet + offline country outlines), timeline and figure charts
   (Chart.js). Data comes from the page's <script type="application/json" id="page-data">;
   text is always inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var OUTLINES = "/static/vendor/world-atlas/countries-50m.json";
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

  function pageData() {
    var el = document.getElementById("page-data");
    return el ? JSON.parse(el.textContent) : {};
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function popup(e) {
    var box = el("div");
    var link = el("a", e.sub_event_type || "Event");
    link.href = "/events/" + encodeURIComponent(e.id);
    box.appendChild(link);
    box.appendChild(el("div", [e.date || "undated", e.place || ""].join(" · ")));
    if (e.fatalities_text) box.appendChild(el("div", "killed: " + e.fatalities_text));
    return box;
  }

  function drawMap(containerId, events, data) {
    var map = L.map(containerId, { worldCopyJump: true, preferCanvas: false }).setView([20, 10], 2);
    window.factledgerMap = map;
    if (data.tile_url) {
      L.tileLayer(data.tile_url, { attribution: data.tile_attribution || "" }).addTo(map);
    }
    var points = [];
    var layer = L.featureGroup().addTo(map);
    events.forEach(function (e) {
      if (e.lat === null || e.lon === null || e.lat === undefined) return;
      var radius = 5 + Math.min(10, Math.sqrt(e.fatalities || 0));
      var marker = L.circleMarker([e.lat, e.lon], {
        radius: radius, color: "#a50f15", weight: 1, fillColor: "#de2d26", fillOpacity: 0.7,
        className: "event-marker"
      });
      marker.bindPopup(popup(e));
      marker.addTo(layer);
      points.push([e.lat, e.lon]);
    });
    if (points.length === 1) map.setView(points[0], 8);
    else if (points.length > 1) map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 9 });
    // The offline basemap: country outlines from the vendored world-atlas, under the markers.
    fetch(OUTLINES).then(function (r) { return r.json(); }).then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries);
      var outlines = L.geoJSON(countries, {
        style: { color: "#8a8a8a", weight: 0.7, fillColor: "#f2efe9", fillOpacity: 1 },
        interactive: false, className: "country-outline"
      }).addTo(map);
      outlines.bringToBack();
      document.getElementById(containerId).setAttribute("data-outlines", "loaded");
    });
    document.getElementById(containerId).setAttribute("data-markers", String(points.length));
    return map;
  }

  function timeline(canvasId, events) {
    var counts = {};
    events.forEach(function (e) {
      if (e.date) counts[e.date.slice(0, 10)] = (counts[e.date.slice(0, 10)] || 0) + 1;
    });
    var days = Object.keys(counts).sort();
    return new Chart(document.getElementById(canvasId), {
      type: "bar",
      data: { labels: days, datasets: [{ label: "events per day", data: days.map(function (d) { return counts[d]; }), backgroundColor: "#de2d26" }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 plugins: { legend: { display: false }, title: { display: true, text: "Events per day" } },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  function eventsPage(data) {
    drawMap("map", data.events || [], data);
    timeline("timeline", data.events || []);
  }

  function eventMap(data) {
    drawMap("map", data.events || [], data);
  }

  function day(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function figuresPage(data) {
    var byMetric = {};
    (data.series || []).forEach(function (s) {
      (byMetric[s.metric] = byMetric[s.metric] || []).push(s);
    });
    var holder = document.getElementById("charts");
    window.factledgerCharts = [];
    Object.keys(byMetric).forEach(function (metric) {
      var box = el("div", null, "chartbox figure-chart");
      box.setAttribute("data-metric", metric);
      var canvas = el("canvas");
      box.appendChild(canvas);
      holder.appendChild(box);
      var datasets = byMetric[metric].map(function (s, i) {
        return {
          label: s.source,
          data: s.points.map(function (p) { return { x: Date.parse(p.date.slice(0, 10)), y: p.best, p: p }; }),
          borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length],
          showLine: true, pointRadius: 4,
          pointStyle: s.points.map(function (p) { return p.hedges.length || (p.modality && p.modality !== "asserted") ? "triangle" : "circle"; })
        };
      });
      var chart = new Chart(canvas, {
        type: "scatter",
        data: { datasets: datasets },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          plugins: {
            title: { display: true, text: metric.replace(/_/g, " ") + " — by source (▲ hedged)" },
            tooltip: { callbacks: { label: function (ctx) {
              var p = ctx.raw.p;
              var bits = [ctx.dataset.label + ": " + (p.value_text || p.best)];
              if (p.qualifier && p.qualifier !== "exact") bits.push(p.qualifier.replace(/_/g, " "));
              if (p.hedges.length) bits.push("hedges: " + p.hedges.join(", "));
              if (p.scope) bits.push(p.scope);
              bits.push(day(ctx.raw.x));
              return bits.join(" · ");
            } } }
          },
          scales: {
            x: { type: "linear", ticks: { callback: function (v) { return day(v); }, maxTicksLimit: 6 } },
            y: { beginAtZero: true }
          }
        }
      });
      window.factledgerCharts.push(chart);
    });
    if (!Object.keys(byMetric).length) holder.appendChild(el("p", "No figures to chart.", "muted"));
  }

  window.factledger = { pageData: pageData, eventsPage: eventsPage, eventMap: eventMap, figuresPage: figuresPage };
})();
