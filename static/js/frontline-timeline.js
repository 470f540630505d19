/* The map's timeline: every state of every layer is in the page (window.FL_TIMELINE, made
 * by views/timeline_data.py), so changing the date redraws in the browser with no server
 * round trip. Used by the dashboard (inside the streamlit-folium iframe) and by the
 * standalone timeline HTML export; views/timeline_control.py mounts it on a Leaflet map.
 *
 * One owner of the state: this script. It draws the date's layers, the figures panel, the
 * legend and the list of what changed, and it writes the permalink (the dashboard's address
 * bar, or the export's own #hash). The dashboard's server only hears the state afterwards
 * (a debounced message to its bridge component), for exports and measurements.
 *
 * Text from the data arrives HTML-escaped by the server (tooltips, popups, legend rows,
 * "what changed" lines) or is written with textContent (names, facts, figures).
 */
(function () {
  "use strict";
  var FL = window.FLTimeline = window.FLTimeline || {};
  var DAY_MS = 86400000;
  var SEEN_KEY = "frontline:layers-seen";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                "Nov", "Dec"];
  var LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
                     "August", "September", "October", "November", "December"];

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fmtKm2(x) {
    return (Math.round(x * 10) / 10).toLocaleString("en-US", {minimumFractionDigits: 1,
      maximumFractionDigits: 1}) + " km²";
  }

  function signed(x) {
    var s = (Math.round(x * 10) / 10).toLocaleString("en-US", {minimumFractionDigits: 1,
      maximumFractionDigits: 1});
    return (x >= 0 ? "+" : "") + s;
  }

  /* Run f once the current frame has been painted. */
  function afterPaint(f) {
    requestAnimationFrame(function () { setTimeout(f, 0); });
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* Last index i with arr[i] <= x (arr ascending); -1 if none. */
  function bisect(arr, x, key) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if ((key ? key(arr[mid]) : arr[mid]) <= x) { lo = mid + 1; } else { hi = mid; }
    }
    return lo - 1;
  }

  function Timeline(map, opts) {
    this.map = map;
    this.opts = opts;
    this.data = opts.data || window.FL_TIMELINE;
    var d = this.data;
    this.start = Date.parse(d.start + "T00:00:00Z");
    this.n = d.n;
    this.layerById = {};
    var self = this;
    d.layers.forEach(function (l) { self.layerById[l.id] = l; });
    this.areaLayers = d.layers.filter(function (l) { return l.kind === "area"; });
    this.cache = {};          // fc index -> L.GeoJSON (per map)
    this.maps = [map];
    this.drawn = [{}];        // per map: layer id -> L.Layer on it
    this.listeners = [];
    var init = this.readInitial(opts.initial || {});
    this.day = init.day;
    this.visible = init.layers;
    this.compare = init.compare;
    this.showSettlements = init.settlements;
    this.playing = false;
    this.build();
    this.draw();
    if (init.view) {
      map.setView([init.view[0], init.view[1]], init.view[2], {animate: false});
    } else if (init.bounds) {
      map.fitBounds(init.bounds, {animate: false});
    } else if (opts.fit !== false) {
      this.fitToDay();
    }
    map.on("moveend", function () { self.changed("view"); });
    map.on("zoomend", function () { self.declutter(); });
    afterPaint(function () { self.declutter(); });  // after the basemap's names are added
    this.changed("init");
    this.prewarm();
  }

  /* Build every state's Leaflet layer while the browser is idle, a few at a time, so that
   * a later date change only swaps layers that already exist. */
  Timeline.prototype.prewarm = function () {
    var self = this, next = 0, total = this.data.fcs.length;
    var idle = window.requestIdleCallback || function (f) {
      return setTimeout(function () { f({timeRemaining: function () { return 8; }}); }, 30);
    };
    function work(deadline) {
      while (next < total && deadline.timeRemaining() > 2) { self.geojson(next++, 0); }
      if (next < total) { idle(work); }
    }
    idle(work);
  };

  /* ------------------------------------------------------------------ state */

  Timeline.prototype.iso = function (i) {
    return new Date(this.start + i * DAY_MS).toISOString().slice(0, 10);
  };
  Timeline.prototype.index = function (iso) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || "")) { return null; }
    var t = Date.parse(iso + "T00:00:00Z");
    if (isNaN(t)) { return null; }
    var i = Math.round((t - this.start) / DAY_MS);
    // Date.parse rolls 2025-02-31 over to 3 March: only a real calendar day counts.
    if (new Date(t).toISOString().slice(0, 10) !== iso) { return null; }
    return i >= 0 && i < this.n ? i : null;
  };
  Timeline.prototype.longDate = function (i) {
    var dd = new Date(this.start + i * DAY_MS);
    return dd.getUTCDate() + " " + LONG_MONTHS[dd.getUTCMonth()] + " " + dd.getUTCFullYear();
  };
  Timeline.prototype.shortDate = function (i) {
    var dd = new Date(this.start + i * DAY_MS);
    return dd.getUTCDate() + " " + MONTHS[dd.getUTCMonth()] + " " + dd.getUTCFullYear();
  };

  /* The state to open on: the page's own address (a reload or a remount keeps what the
   * user last saw), else what the server parsed from the link. */
  Timeline.prototype.readInitial = function (init) {
    var out = {day: null, layers: null, compare: null, view: init.view || null,
               bounds: init.bounds || null, settlements: init.settlements !== false};
    var qs = null;
    try {
      qs = new URLSearchParams(this.opts.url === "parent" ? window.parent.location.search
        : window.location.hash.replace(/^#/, ""));
    } catch (e) { qs = null; }
    var ids = this.data.layers.map(function (l) { return l.id; });
    function layerList(text) {
      return text.split(",").filter(function (x) { return ids.indexOf(x) >= 0; });
    }
    if (qs && this.index(qs.get("date")) !== null) {
      out.day = this.index(qs.get("date"));
      if (qs.has("layers")) {
        out.layers = layerList(qs.get("layers"));
        // A session's upload rebuilds the map after the address was written: the address
        // cannot have hidden a layer the map had not seen, so an upload it does not name is
        // shown, unless the map had it before (then the user switched it off).
        var seen = this.seenLayers();
        this.data.layers.forEach(function (l) {
          if (l.upload && out.layers.indexOf(l.id) < 0 && seen.indexOf(l.id) < 0) {
            out.layers.push(l.id);
          }
        });
      }
      if (this.index(qs.get("compare")) !== null) { out.compare = this.index(qs.get("compare")); }
      var lat = parseFloat(qs.get("lat")), lon = parseFloat(qs.get("lon")),
          zoom = parseInt(qs.get("zoom"), 10);
      if (isFinite(lat) && isFinite(lon) && isFinite(zoom)) { out.view = [lat, lon, zoom]; }
      if (qs.get("settlements") === "0") { out.settlements = false; }
    }
    if (out.day === null) {
      out.day = this.index(init.day);
      if (out.day === null) { out.day = this.n - 1; }
      out.compare = init.compare ? this.index(init.compare) : null;
    }
    if (out.layers === null) {
      out.layers = init.layers ? layerList(init.layers.join(",")) : ids.slice();
    }
    return out;
  };

  Timeline.prototype.state = function () {
    var c = this.map.getCenter();
    var b = this.map.getBounds();
    return {
      date: this.iso(this.day), layers: this.visible.slice(),
      compare: this.compare === null ? null : this.iso(this.compare),
      lat: Math.round(c.lat * 1e4) / 1e4, lon: Math.round(c.lng * 1e4) / 1e4,
      zoom: this.map.getZoom(), settlements: this.showSettlements,
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) {
        return Math.round(x * 1e4) / 1e4;
      })
    };
  };

  Timeline.prototype.query = function () {
    var s = this.state();
    var q = "date=" + s.date + "&layers=" + encodeURIComponent(s.layers.join(","))
      .replace(/%2C/g, ",") + "&lat=" + s.lat.toFixed(4) + "&lon=" + s.lon.toFixed(4)
      + "&zoom=" + s.zoom;
    if (s.compare) { q += "&compare=" + s.compare; }
    if (!s.settlements) { q += "&settlements=0"; }
    return q;
  };

  /* Tell the permalink and the server what is shown (every change goes through here).
   * The page's own attributes and listeners follow at once; the address bar and the
   * server's bridge a moment after the last change (one write per pause, within the
   * 500 ms a copied link must take to be right). */
  Timeline.prototype.changed = function (what) {
    var self = this;
    if (this.root) { this.root.setAttribute("data-day", this.iso(this.day)); }
    this.listeners.forEach(function (f) { f(self); });
    clearTimeout(this._writeTimer);
    if (what === "init") { this.write(what); return; }
    this._writeTimer = setTimeout(function () { self.write(what); }, this.opts.writeMs || 120);
  };

  /* The layers the map had when it last wrote the address (the tab's session storage). */
  Timeline.prototype.seenLayers = function () {
    try {
      var text = window.parent.sessionStorage.getItem(SEEN_KEY);
      return text ? text.split("\n") : [];
    } catch (e) { return []; }
  };

  Timeline.prototype.write = function (what) {
    var q = this.query();
    try {
      if (this.opts.url === "parent") {
        var w = window.parent;
        if (what === "init") {  // a mounted map's layers never change: stored once
          w.sessionStorage.setItem(SEEN_KEY, this.data.layers.map(function (l) {
            return l.id;
          }).join("\n"));
        }
        if (w.location.search !== "?" + q) {
          w.history.replaceState(w.history.state, "", w.location.pathname + "?" + q);
        }
      } else if (this.opts.url === "hash") {
        history.replaceState(history.state, "", "#" + q);
      }
    } catch (e) { /* a cross-origin embed: no address bar to write */ }
    if (this.opts.bridge) {
      try {
        window.parent.postMessage({type: "frontline:state", state: this.state(), what: what},
                                  window.location.origin);
      } catch (e) { /* not in the dashboard */ }
    }
    if (this.root) { this.root.setAttribute("data-query", q); }
  };

  Timeline.prototype.setDay = function (i) {
    i = Math.max(0, Math.min(this.n - 1, i));
    // The same day again (e.g. the day box's "change" as it loses focus after Enter) only
    // re-syncs the controls: rebuilding the panel then would swallow the click that moved
    // the focus away (its element is replaced between mousedown and click).
    if (i === this.day) { this.syncControls(); return; }
    this.day = i;
    this.draw();
    this.changed("date");
  };
  Timeline.prototype.stepChange = function (forward) {
    var ch = this.data.changes, k = bisect(ch, this.day);
    if (forward) {
      if (k + 1 < ch.length) { this.setDay(ch[k + 1]); }
    } else if (k >= 0) {
      this.setDay(ch[k] < this.day ? ch[k] : (k > 0 ? ch[k - 1] : ch[0]));
    }
  };
  Timeline.prototype.togglePlay = function () {
    var self = this;
    if (this.playing) {
      clearTimeout(this._playTimer);
      cancelAnimationFrame(this._playFrame);
      this.playing = false;
      this.syncControls();
      return;
    }
    var ch = this.data.changes, every = this.opts.playMs || 250;
    if (bisect(ch, this.day) >= ch.length - 1) { this.setDay(ch[0]); }
    // On a fixed timetable (the next tick is due ``every`` ms after the last one was due,
    // not after it was drawn), so drawing time does not slow Play below 4 dates a second;
    // and each date is set in an animation frame of its own, so every one is painted even
    // when a busy machine runs late.
    var due = performance.now() + every;
    var tick = function () {
      self._playFrame = requestAnimationFrame(function () {
        if (!self.playing) { return; }
        var k = bisect(ch, self.day);
        if (k + 1 >= ch.length) { self.playing = false; self.syncControls(); return; }
        self.setDay(ch[k + 1]);
        due += every;
        self._playTimer = setTimeout(tick, Math.max(0, due - performance.now()));
      });
    };
    this.playing = true;
    this._playTimer = setTimeout(tick, every);
    this.syncControls();
  };

  /* ------------------------------------------------------------------ drawing */

  Timeline.prototype.segment = function (layer, day) {
    var k = bisect(layer.segments, day, function (s) { return s[0]; });
    return k < 0 ? -1 : layer.segments[k][1];
  };

  Timeline.prototype.geojson = function (fcIndex, mapNo, day) {
    var key = mapNo + ":" + fcIndex;
    if (this.cache[key]) { return this.cache[key]; }
    var d = this.data;
    var g = L.geoJSON(d.fcs[fcIndex], {
      style: function (f) {
        return d.styles[f.properties.layer + "|" + f.properties.status] || {};
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: 5, pane: "markerPane"});
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(d.texts[f.properties.tip], {sticky: true, className: "fl-tip",
                                                      direction: "top", offset: [0, -8]});
        layer.bindPopup(d.texts[f.properties.popup], {maxWidth: 380, maxHeight: 320});
      }
    });
    this.cache[key] = g;
    return g;
  };

  Timeline.prototype.styleEvents = function (g, day) {
    var iso = this.iso(day);
    g.eachLayer(function (l) {
      var today = l.feature.properties.day === iso;
      if (l.setStyle) {
        l.setStyle({color: today ? "#d62728" : "#111", weight: today ? 4 : 2.5,
                    fillColor: today ? "#d62728" : "#111", fillOpacity: 0.9});
      }
      if (l.setRadius) { l.setRadius(today ? 9 : 5); }
    });
  };

  Timeline.prototype.drawOn = function (mapNo, day) {
    var map = this.maps[mapNo], drawn = this.drawn[mapNo], self = this;
    var pairs = {};
    this.data.layers.forEach(function (layer) {
      var want = self.visible.indexOf(layer.id) >= 0 ? self.segment(layer, day) : -1;
      var cur = drawn[layer.id];
      var next = want >= 0 ? self.geojson(want, mapNo) : null;
      if (cur !== next) {
        if (cur) { map.removeLayer(cur); }
        if (next) { next.addTo(map); }
        drawn[layer.id] = next;
      }
      if (next) {
        if (layer.kind === "events") { self.styleEvents(next, day); }
        self.data.fcs[want].features.forEach(function (f) {
          pairs[f.properties.layer + "|" + f.properties.status] = true;
        });
      }
    });
    var statuses = this.drawSettlements(mapNo, day);
    return {pairs: pairs, statuses: statuses};
  };

  Timeline.prototype.draw = function () {
    var t0 = performance.now();
    var shown = this.drawOn(0, this.day);
    if (this.compare !== null && this.maps[1]) {
      var other = this.drawOn(1, this.compare);
      Object.keys(other.pairs).forEach(function (k) { shown.pairs[k] = true; });
      Object.keys(other.statuses).forEach(function (k) { shown.statuses[k] = true; });
    }
    this.drawLegend(shown);
    this.drawPanel();
    this.drawChanged();
    this.syncControls();
    this.lastDrawMs = performance.now() - t0;
    if (this.root) { this.root.setAttribute("data-drawn", this.iso(this.day)); }
  };

  Timeline.prototype.fitToDay = function () {
    var b = null, self = this;
    Object.keys(this.drawn[0]).forEach(function (id) {
      var g = self.drawn[0][id];
      var layer = self.layerById[id];
      if (g && layer && layer.kind === "area" && g.getBounds().isValid()) {
        b = b ? b.extend(g.getBounds()) : L.latLngBounds(g.getBounds().getSouthWest(),
                                                          g.getBounds().getNorthEast());
      }
    });
    if (b) {
      this.map.fitBounds(b.pad(0.25), {animate: false, maxZoom: 11});
    }
  };

  /* Settlements: one circle marker per place on each map, restyled per day. */
  Timeline.prototype.status = function (k, day) {
    var runs = this.data.runs[k], j = bisect(runs, day, function (r) { return r[0]; });
    return j < 0 ? ["none", "", ""] : runs[j].slice(1);
  };

  Timeline.prototype.drawSettlements = function (mapNo, day) {
    var d = this.data, self = this, seen = {};
    if (!d.places.length) { return seen; }
    this.markers = this.markers || [];
    if (!this.markers[mapNo]) {
      var group = L.layerGroup();
      this.markers[mapNo] = {group: group, list: d.places.map(function (p, k) {
        var slug = p[0].normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").toLowerCase();
        var m = L.circleMarker([p[1], p[2]], {pane: "markerPane", weight: 1.5,
          fillOpacity: 0.95, className: "fl-settlement fl-s-" + slug});
        m.bindTooltip(function () { return self.settlementTip(k, m._flDay); },
                      {className: "fl-tip", direction: "top", offset: [0, -6]});
        m.bindPopup(function () { return self.settlementPopup(k, m._flDay); },
                    {maxWidth: 460, maxHeight: 340});
        m.addTo(group);
        return m;
      })};
    }
    var mk = this.markers[mapNo];
    var on = this.showSettlements;
    if (on && !this.maps[mapNo].hasLayer(mk.group)) { mk.group.addTo(this.maps[mapNo]); }
    if (!on && this.maps[mapNo].hasLayer(mk.group)) { this.maps[mapNo].removeLayer(mk.group); }
    if (!on) { return seen; }
    mk.list.forEach(function (m, k) {
      var st = self.status(k, day)[0];
      m._flDay = day;
      if (m._flStatus !== st) {
        var s = d.settlement_styles[st];
        m.setStyle({fillColor: s[0], color: s[1]});
        m.setRadius(st === "none" ? 3.5 : 5.5);
        m._flStatus = st;
      }
      seen[st] = true;
    });
    return seen;
  };

  Timeline.prototype.facts = function (k, day) {
    var iso = this.iso(day);
    return (this.data.history[this.data.places[k][0]] || []).filter(function (f) {
      return f[0] <= iso;
    });
  };

  Timeline.prototype.settlementTip = function (k, day) {
    var d = this.data, st = this.status(k, day), div = el("div");
    el("b", null, div, d.places[k][0]);
    div.appendChild(document.createTextNode(": " + d.settlement_styles[st[0]][2]));
    var facts = this.facts(k, day);
    if (facts.length) {
      var f = facts[facts.length - 1];
      el("br", null, div);
      div.appendChild(document.createTextNode("latest: " + f[0] + ", " + f[2] + " ("
        + plural(facts.length, "fact") + "; click for all)"));
    }
    return div;
  };

  Timeline.prototype.settlementPopup = function (k, day) {
    var d = this.data, st = this.status(k, day), div = el("div"), head = el("div", null, div);
    el("b", null, head, d.places[k][0]);
    head.appendChild(document.createTextNode(" on " + this.iso(day) + ": "
      + d.settlement_styles[st[0]][2]));
    if (st[1]) { el("span", "fl-muted", head, " (rule: " + st[1] + ", " + st[2] + " confidence)"); }
    var all = d.history[d.places[k][0]] || [], rows = this.facts(k, day).reverse();
    if (!rows.length) {
      div.appendChild(document.createTextNode("No statement about this place up to this day."));
      return div;
    }
    var t = el("table", "fl-history", div), tr = t.insertRow();
    ["day", "says", "who, where"].forEach(function (h) { el("th", null, tr, h).align = "left"; });
    rows.forEach(function (f) {
      var row = t.insertRow();
      row.insertCell().textContent = f[0];
      row.insertCell().textContent = f[1];
      var c = row.insertCell();
      c.appendChild(document.createTextNode(f[2] + " "));
      el("span", "fl-muted", c, "[" + f[3] + ", " + f[4] + "]");
      if (f[5]) { el("br", null, c); el("i", null, c, f[5]); }
      if (f[6]) { el("br", null, c); el("span", "fl-muted", c, f[6]); }
    });
    if (all.length > rows.length) {
      div.appendChild(document.createTextNode(plural(all.length - rows.length, "later fact")
        + " not shown (move the date)."));
    }
    return div;
  };

  /* ------------------------------------------------------------------ furniture */

  Timeline.prototype.drawLegend = function (shown) {
    if (!this.legendRows) { return; }
    var d = this.data, html = "", dashed = false;
    d.legend_order.forEach(function (key) {
      if (shown.pairs[key]) {
        html += d.legend[key];
        dashed = dashed || !!(d.styles[key] && d.styles[key].dashArray);
      }
    });
    this.legendRows.innerHTML = html;  // rows made (and escaped) by the server
    var extra = this.legendExtra;
    extra.textContent = "";
    ["ukrainian", "russian", "contested", "stale", "none"].forEach(function (st) {
      if (!shown.statuses[st]) { return; }
      var s = d.settlement_styles[st], row = el("div", null, extra);
      var sw = el("span", "fl-swatch fl-round", row);
      sw.style.background = s[0];
      sw.style.border = "2px solid " + s[1];
      row.appendChild(document.createTextNode("settlement: " + s[2]));
    });
    if (dashed) { el("div", "fl-legend-note", extra, "dashed outline = claimed / unconfirmed"); }
    this.legend.style.display = html || extra.childNodes.length ? "" : "none";
  };

  Timeline.prototype.frame = function (day) {
    var f = this.data.frames;
    return f.data[Math.max(0, bisect(f.starts, day))];
  };

  /* The published figures of exactly the quantity shown (``keys``: the layers they
   * count) within a week of ``day``, nearest first, each checked on its own date. Area
   * figures by default; ``counts`` for the settlement counts. */
  Timeline.prototype.published = function (parent, keys, day, counts) {
    var rows = (counts ? this.data.counts : this.data.claims).filter(function (c) {
      return keys.indexOf(c[1]) >= 0 && Math.abs(c[0] - day) <= 7;
    }).sort(function (a, b) { return Math.abs(a[0] - day) - Math.abs(b[0] - day); });
    if (!rows.length) {
      el("div", "fl-muted fl-pub", parent, counts
        ? "no published settlement count within a week" : "no published figure within a week");
      return;
    }
    rows.forEach(function (c) {
      var apart = Math.abs(c[0] - day);
      var p = el("div", "fl-pub", parent);
      el("b", null, p, c[2]);
      p.appendChild(document.createTextNode(" (" + (apart ? plural(apart, "day") + " away"
        : "same day") + "), " + c[3] + ": " + c[4] + "; the map then " + c[5] + ", "
        + c[6] + " — "));
      el("span", "fl-verdict", p, c[7]);
      if (c[8]) { p.appendChild(document.createTextNode("; the map " + c[8])); }
    });
  };

  Timeline.prototype.drawPanel = function () {
    var box = this.panelBody;
    if (!box) { return; }
    var self = this, d = this.data, day = this.day, cmp = this.compare;
    var fr = this.frame(day), fc = cmp === null ? null : this.frame(cmp);
    box.textContent = "";
    var head = el("div", "fl-panel-date", box, this.longDate(day));
    if (cmp !== null) {
      head.textContent = this.shortDate(day) + "  vs  " + this.shortDate(cmp);
    }
    if (fr.totals && (this.visible.indexOf("ukrainian_held") >= 0
                      || this.visible.indexOf("contested") >= 0)) {
      var t = el("div", "fl-metric", box);
      el("div", "fl-metric-label", t, "Held + contested (Kursk oblast)");
      el("div", "fl-metric-value", t, fmtKm2(fr.totals.both));
      var sub = "held " + fmtKm2(fr.totals.held) + " + contested " + fmtKm2(fr.totals.contested);
      if (fc) { sub += " · on " + this.shortDate(cmp) + ": " + fmtKm2(fc.totals.both)
        + " (" + signed(fc.totals.both - fr.totals.both) + " km²)"; }
      el("div", "fl-sub", t, sub);
      t.title = "Kyiv's official totals (e.g. Syrskyi's 1,294 km² on 27 Aug 2024) count ground "
        + "Ukraine holds or contests; independent trackers count held ground only.";
      // Kyiv's totals: held + contested (some also count the ground Ukraine claims).
      var kyiv = ["ukrainian_held+contested", "ukrainian_held+contested+ukrainian_claimed"];
      this.published(t, kyiv, day);
      this.published(t, kyiv, day, true);
    }
    this.areaLayers.forEach(function (layer) {
      var on = self.visible.indexOf(layer.id) >= 0;
      var row = el("div", "fl-metric" + (on ? "" : " fl-off"), box);
      var lab = el("label", "fl-metric-label", row);
      var cb = el("input", "fl-layer-toggle", lab);
      cb.type = "checkbox";
      cb.checked = on;
      cb.setAttribute("data-layer", layer.id);
      cb.setAttribute("aria-label", "show " + layer.label);
      cb.addEventListener("change", function () { self.toggleLayer(layer.id, cb.checked); });
      var key = Object.keys(d.styles).filter(function (k) {
        return k.indexOf(layer.id + "|") === 0;
      })[0];
      if (key) {
        var sw = el("span", "fl-swatch", lab);
        sw.style.background = d.styles[key].fillColor;
        sw.style.border = "2px " + (d.styles[key].dashArray ? "dashed " : "solid ")
          + d.styles[key].color;
      }
      lab.appendChild(document.createTextNode(layer.label));
      var a = fr.areas[layer.id] || {km2: 0};
      var v = el("div", "fl-metric-value", row, fmtKm2(a.km2));
      if (fc) {
        var b = fc.areas[layer.id] || {km2: 0};
        v.textContent = fmtKm2(a.km2) + " → " + fmtKm2(b.km2);
        el("div", "fl-delta", row, signed(b.km2 - a.km2) + " km² from " + self.shortDate(day)
          + " to " + self.shortDate(cmp));
      } else if (a.previous) {
        var delta = el("div", "fl-delta " + (a.net > 0 ? "fl-up" : a.net < 0 ? "fl-down" : ""),
                       row, signed(a.net) + " km² since " + a.previous);
        if (a.gained || a.lost) {
          delta.textContent += " (gained " + fmtKm2(a.gained) + ", lost " + fmtKm2(a.lost) + ")";
        }
      }
      var lines = [];
      if (a.since) { lines.push("state since " + a.since); }
      if (!a.km2) { lines = ["not on the map this day"]; }
      var names = (fr.settlements || {})[layer.id];
      if (names && a.km2) { lines.push(plural(names.length, "settlement") + " by the facts"); }
      el("div", "fl-sub", row, lines.join(" · "));
      if (a.km2) { self.published(row, [layer.id], day); }
      if (a.km2 && layer.id === "ukrainian_held") { self.published(row, [layer.id], day, true); }
      if (names && names.length && a.km2) {
        var det = el("details", "fl-names", row);
        el("summary", null, det, "Settlements by the facts (" + names.length + ")");
        el("div", null, det, names.join(", "));
      }
    });
    var opts = el("div", "fl-options", box);
    if (d.places.length) {
      var lab2 = el("label", null, opts);
      var cb2 = el("input", "fl-settlements-toggle", lab2);
      cb2.type = "checkbox";
      cb2.checked = this.showSettlements;
      cb2.addEventListener("change", function () {
        self.showSettlements = cb2.checked;
        self.draw();
        self.changed("settlements");
      });
      lab2.appendChild(document.createTextNode(" settlements by control (from the facts)"));
    }
  };

  Timeline.prototype.toggleLayer = function (id, on) {
    var i = this.visible.indexOf(id);
    if (on && i < 0) { this.visible.push(id); }
    if (!on && i >= 0) { this.visible.splice(i, 1); }
    this.draw();
    this.changed("layers");
  };

  Timeline.prototype.drawChanged = function () {
    var box = this.changedBox;
    if (!box) { return; }
    var lines = this.data.changed[String(this.day)] || [];
    box.innerHTML = "";
    var h = el("b", null, box, "On " + this.shortDate(this.day) + ": ");
    if (!lines.length) {
      var k = bisect(this.data.changes, this.day);
      box.appendChild(document.createTextNode("nothing changed on this day; the state shown "
        + "dates from " + this.shortDate(this.data.changes[Math.max(k, 0)]) + "."));
      return;
    }
    h.textContent = "Changed on " + this.shortDate(this.day) + ": ";
    var span = el("span", null, box);
    span.innerHTML = lines.join(" · ");  // escaped by the server
  };

  Timeline.prototype.syncControls = function () {
    if (!this.slider) { return; }
    this.slider.value = String(this.day);
    this.slider.setAttribute("aria-valuetext", this.iso(this.day));
    if (document.activeElement !== this.dateInput) { this.dateInput.value = this.iso(this.day); }
    this.dayLabel.textContent = this.longDate(this.day);
    // Two heavy bars (U+275A), not U+23F8: the latter is in no font of a plain Linux machine.
    this.playBtn.textContent = this.playing ? "❚❚ Pause" : "▶ Play";
    this.playBtn.setAttribute("aria-pressed", this.playing ? "true" : "false");
    this.compareBox.checked = this.compare !== null;
    this.compareInput.disabled = this.compare === null;
    if (this.compare !== null && document.activeElement !== this.compareInput) {
      this.compareInput.value = this.iso(this.compare);
    }
  };

  Timeline.prototype.build = function () {
    var self = this, map = this.map, d = this.data;
    var container = map.getContainer();
    container.classList.add("fl-timeline-map");
    var root = this.root = el("div", "fl-app", document.body);
    root.setAttribute("data-n", String(this.n));
    // A snapshot of one day: no stepping to offer.
    if (this.n === 1) { document.body.classList.add("fl-single"); }
    // The date bar, under the map.
    var bar = el("div", "fl-bar", root);
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "date");
    function button(text, label, fn, cls) {
      var b = el("button", "fl-btn " + (cls || ""), bar, text);
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("click", fn);
      return b;
    }
    button("« change", "previous change date", function () { self.stepChange(false); },
           "fl-prev-change");
    button("◂ day", "previous day", function () { self.setDay(self.day - 1); }, "fl-prev-day");
    var s = this.slider = el("input", "fl-slider", bar);
    s.type = "range";
    s.min = "0";
    s.max = String(this.n - 1);
    s.step = "1";
    s.setAttribute("aria-label", "date");
    var ticks = el("datalist", null, bar);
    ticks.id = "fl-change-days";
    d.changes.forEach(function (i) { el("option", null, ticks).value = String(i); });
    s.setAttribute("list", ticks.id);
    s.addEventListener("input", function () { self.setDay(parseInt(s.value, 10)); });
    button("day ▸", "next day", function () { self.setDay(self.day + 1); }, "fl-next-day");
    button("change »", "next change date", function () { self.stepChange(true); },
           "fl-next-change");
    this.playBtn = button("▶ Play", "play through the change dates",
                          function () { self.togglePlay(); }, "fl-play");
    var di = this.dateInput = el("input", "fl-date", bar);
    di.type = "text";
    di.setAttribute("aria-label", "exact day (YYYY-MM-DD), Enter to apply");
    di.placeholder = "YYYY-MM-DD";
    di.size = 10;
    function applyTyped() {
      var i = self.index(di.value.trim());
      di.classList.toggle("fl-bad", i === null);
      if (i !== null) { self.setDay(i); }
    }
    di.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); applyTyped(); }
    });
    di.addEventListener("change", applyTyped);
    this.dayLabel = el("span", "fl-day-label", bar);
    // Compare with a second date.
    var cmpLab = el("label", "fl-compare", bar);
    var cb = this.compareBox = el("input", null, cmpLab);
    cb.type = "checkbox";
    cb.setAttribute("aria-label", "compare with a second date");
    cmpLab.appendChild(document.createTextNode(" compare with "));
    var ci = this.compareInput = el("input", "fl-date fl-compare-date", cmpLab);
    ci.type = "text";
    ci.size = 10;
    ci.placeholder = "YYYY-MM-DD";
    ci.setAttribute("aria-label", "second date (YYYY-MM-DD), Enter to apply");
    cb.addEventListener("change", function () {
      self.setCompare(cb.checked ? (self.index(ci.value.trim()) !== null
        ? self.index(ci.value.trim()) : self.data.changes[0]) : null);
    });
    function applyCompare() {
      var i = self.index(ci.value.trim());
      ci.classList.toggle("fl-bad", i === null);
      if (i !== null) { self.setCompare(i); }
    }
    ci.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); applyCompare(); }
    });
    ci.addEventListener("change", applyCompare);
    // What changed on the day.
    this.changedBox = el("div", "fl-changed", root);
    this.changedBox.setAttribute("aria-live", "polite");
    // The figures panel.
    var panel = this.panel = el("aside", "fl-panel", root);
    panel.setAttribute("aria-label", "figures of the date");
    if (this.opts.title) { el("div", "fl-title", panel, this.opts.title); }
    this.panelBody = el("div", "fl-panel-body", panel);
    el("div", "fl-panel-note", panel, "Areas: geodesic, WGS84 ellipsoid. Figures compared "
      + "only with published figures of the same quantity within a week.");
    // The legend (on the map, bottom right).
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var div = L.DomUtil.create("details", "fl-legend");
      div.open = true;
      L.DomUtil.create("summary", "fl-legend-title", div).textContent = "Legend";
      self.legendRows = L.DomUtil.create("div", "fl-legend-rows", div);
      self.legendExtra = L.DomUtil.create("div", "fl-legend-rows", div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      self.legend = div;
      return div;
    };
    legend.addTo(map);
    // A tooltip over the legend fades the legend, so the tooltip is read whole.
    var openTip = null;
    map.on("tooltipopen", function (e) { openTip = e.tooltip; self.uncover(e.tooltip); });
    map.on("tooltipclose", function () { openTip = null; self.legend.classList.remove("fl-faded"); });
    // A sticky tooltip follows the pointer: check it again as it moves.
    map.on("mousemove", function () { if (openTip) { self.uncover(openTip); } });
    this.keyboard();
    if (this.compare !== null) { this.openCompare(); }
  };

  Timeline.prototype.uncover = function (tooltip) {
    var t = tooltip.getElement && tooltip.getElement();
    if (!t || !this.legend) { return; }
    var a = t.getBoundingClientRect(), b = this.legend.getBoundingClientRect();
    var hit = a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
    this.legend.classList.toggle("fl-faded", hit);
  };

  Timeline.prototype.keyboard = function () {
    var self = this;
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || e.altKey || e.ctrlKey || e.metaKey) { return; }
      if (e.key === "," || e.key === "[") { self.setDay(self.day - 1); e.preventDefault(); }
      if (e.key === "." || e.key === "]") { self.setDay(self.day + 1); e.preventDefault(); }
      if (e.key === "<") { self.stepChange(false); e.preventDefault(); }
      if (e.key === ">") { self.stepChange(true); e.preventDefault(); }
    });
  };

  /* ------------------------------------------------------------------ compare */

  Timeline.prototype.setCompare = function (i) {
    if (i === null) {
      this.compare = null;
      this.closeCompare();
    } else {
      this.compare = Math.max(0, Math.min(this.n - 1, i));
      this.openCompare();
    }
    this.draw();
    this.changed("compare");
  };

  Timeline.prototype.openCompare = function () {
    if (this.maps[1]) { return; }
    var self = this, main = this.map;
    document.body.classList.add("fl-comparing");
    var div = el("div", "fl-timeline-map fl-compare-map", document.body);
    div.id = "fl-compare-map";
    var other = L.map(div, {zoomControl: false, attributionControl: true,
                            minZoom: main.getMinZoom(), maxZoom: main.getMaxZoom(),
                            maxBounds: main.options.maxBounds});
    other.attributionControl.setPrefix("");
    other.attributionControl.addAttribution(this.opts.attribution || "");
    L.control.scale({imperial: false, maxWidth: 150}).addTo(other);
    this.maps[1] = other;
    this.drawn[1] = {};
    main.invalidateSize({animate: false});
    other.invalidateSize({animate: false, pan: false});
    other.setView(main.getCenter(), main.getZoom(), {animate: false});
    if (FL.basemap) { FL.basemap(other, window.FL_BASEMAP); }
    this.dateTag(main, function () { return self.shortDate(self.day); }, "fl-tag-a");
    this.dateTag(other, function () { return self.shortDate(self.compare); }, "fl-tag-b");
    // Pan and zoom stay in step (whichever map the user moves).
    var busy = false;
    function follow(from, to) {
      return function () {
        if (busy) { return; }
        busy = true;
        to.setView(from.getCenter(), from.getZoom(), {animate: false});
        busy = false;
      };
    }
    this._follow = [follow(main, other), follow(other, main)];
    main.on("move zoom", this._follow[0]);
    other.on("move zoom", this._follow[1]);
    other.on("moveend", function () { self.changed("view"); });
  };

  Timeline.prototype.dateTag = function (map, text, cls) {
    var self = this, c = L.control({position: "topright"});
    c.onAdd = function () {
      var div = L.DomUtil.create("div", "fl-date-tag " + cls);
      self.listeners.push(function () { div.textContent = text(); });
      div.textContent = text();
      return div;
    };
    c.addTo(map);
    map._flTag = c;
  };

  Timeline.prototype.closeCompare = function () {
    var other = this.maps[1];
    if (!other) { return; }
    this.map.off("move zoom", this._follow[0]);
    if (this.map._flTag) { this.map.removeControl(this.map._flTag); }
    other.remove();
    other.getContainer().parentNode.removeChild(other.getContainer());
    this.maps.length = 1;
    this.drawn.length = 1;
    if (this.markers) { this.markers.length = 1; }
    var self = this;
    Object.keys(this.cache).forEach(function (k) {
      if (k.indexOf("1:") === 0) { delete self.cache[k]; }
    });
    document.body.classList.remove("fl-comparing");
    this.map.invalidateSize({animate: false});
  };

  /* ------------------------------------------------------------------ labels */

  /* Hide a basemap label whose box overlaps one already placed, in rank order (countries,
   * oblasts, towns, villages), so names never collide. */
  Timeline.prototype.declutter = function () {
    var self = this;
    this.maps.forEach(function (map) {
      var labels = map.getContainer().querySelectorAll(".fl-label");
      var rank = {"fl-country": 0, "fl-oblast": 1, "fl-town": 2, "fl-village": 3};
      var list = Array.prototype.slice.call(labels).map(function (e) {
        var r = 4;
        Object.keys(rank).forEach(function (c) { if (e.classList.contains(c)) { r = rank[c]; } });
        e.classList.remove("fl-hidden");
        return {e: e, r: r, pop: Number(e.getAttribute("data-pop") || 0)};
      }).sort(function (a, b) { return a.r - b.r || b.pop - a.pop; });
      // Every box is read before any label is hidden: hiding one between two reads would
      // make the browser recompute the page's style for each label (visibility does not
      // move a box, so the boxes read up front are the ones the loop needs).
      var boxes = list.map(function (x) { return x.e.getBoundingClientRect(); });
      var placed = [];
      list.forEach(function (x, i) {
        var b = boxes[i];
        if (!b.width) { return; }
        var hit = placed.some(function (p) {
          return b.left < p.right + 2 && b.right > p.left - 2 && b.top < p.bottom
            && b.bottom > p.top;
        });
        if (hit) { x.e.classList.add("fl-hidden"); } else { placed.push(b); }
      });
    });
    if (this.root) { this.root.setAttribute("data-decluttered", String(Date.now())); }
    return self;
  };

  /* ------------------------------------------------------------------ basemap */

  /* The offline vector basemap (window.FL_BASEMAP, views/folium_map.base_display). */
  FL.basemap = function (map, d) {
    if (!d) { return; }
    var st = FL.basemapStyles || {};
    ["countries", "oblasts", "border"].forEach(function (k) {
      L.geoJson(d[k], {style: st[k], interactive: false}).addTo(map);
    });
    function zoomClass() {
      var c = map.getContainer();
      c.className = c.className.replace(/\bflz-\d+\b/g, "").trim();
      c.classList.add("flz-" + Math.round(map.getZoom()));
    }
    map.on("zoomend", zoomClass);
    zoomClass();
    // The place names come after the first paint: the date's polygons are drawn first.
    afterPaint(function () {
      var group = L.layerGroup();
      d.labels.forEach(function (p) {
        var e = el("div", "fl-label fl-" + p[3]);
        if (p[4]) { e.setAttribute("data-pop", String(p[4])); }  // the bigger place wins
        el("span", "fl-dot", e);
        e.appendChild(document.createTextNode(p[2]));
        L.marker([p[0], p[1]], {icon: L.divIcon({className: "fl-label-icon", html: e,
                                                 iconSize: null}),
                                interactive: false, keyboard: false}).addTo(group);
      });
      group.addTo(map);  // decluttered by the timeline, whose turn comes next
    });
  };

  /* Mount once the timeline's stylesheet lays the map out (the dashboard loads it by URL,
   * possibly after Leaflet measured its container): Leaflet must know the map's real size
   * before it fits the date's layers, or every centre is off by the panel's width. Later
   * size changes (compare on/off, a resize) are followed too. */
  FL.mount = function (map, opts) {
    var c = map.getContainer(), tries = 0;
    c.classList.add("fl-timeline-map");
    return new Promise(function (resolve) {
      (function poll() {
        if (window.getComputedStyle(c).position !== "fixed" && tries++ < 300) {
          requestAnimationFrame(poll);
          return;
        }
        map.invalidateSize({animate: false, pan: false});
        var t = new Timeline(map, opts || {});
        window.flTimeline = t;
        if (window.ResizeObserver) {
          new ResizeObserver(function () {
            t.maps.forEach(function (m) { m.invalidateSize({animate: false}); });
          }).observe(document.body);
        }
        resolve(t);
      })();
    });
  };
})();
