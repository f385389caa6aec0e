// The graph picture of flashpoint: the claims around an actor, drawn with Cytoscape.js.
// Data: GET api/graph?actor=…&depth=… (flashpoint serve), or the JSON embedded in the page
// (<script type="application/json" id="graph-data">, flashpoint export --format html).
// Predicates and modalities are filtered here, in the browser; the URL keeps the choice
// (?actor=…&predicate=…&modality=…), so a view can be linked to.
(function () {
  "use strict";

  var HEDGED = { probable: true, possible: true };
  var embedded = document.getElementById("graph-data");
  var params = new URLSearchParams(window.location.search);
  var state = { data: null, cy: null, predicates: null, modalities: null, pinned: null };
  var statusEl = document.getElementById("graph-status");
  var tooltip = document.getElementById("tooltip");
  var body = document.body;

  function say(text) {
    statusEl.textContent = text || "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function listParam(name) {
    var values = [];
    params.getAll(name).forEach(function (v) {
      v.split(",").forEach(function (x) {
        x = x.trim();
        if (x) values.push(x);
      });
    });
    return values;
  }

  function localName(iri) {
    var parts = String(iri).split(/[#/]/);
    return parts[parts.length - 1];
  }

  // ------------------------------------------------------------ style

  var STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 11, "font-family": "system-ui, sans-serif", "color": "#1d2733",
      "text-wrap": "wrap", "text-max-width": 130, "text-valign": "bottom", "text-halign": "center", "text-margin-y": 4,
      "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
      "width": 22, "height": 22, "border-width": 2, "background-color": "#eef1f4", "border-color": "#7b8794",
    } },
    { selector: "node[kind = 'actor']", style: { "shape": "round-rectangle", "background-color": "#d6e6f8", "border-color": "#2f6db5", "width": 30, "height": 22 } },
    { selector: "node[kind = 'event']", style: { "shape": "ellipse", "background-color": "#fbe1c4", "border-color": "#c46a12" } },
    { selector: "node[kind = 'situation']", style: { "shape": "hexagon", "background-color": "#ebdcf5", "border-color": "#7d3c98", "width": 26 } },
    { selector: "node[kind = 'capability']", style: { "shape": "rectangle", "background-color": "#d9f0dc", "border-color": "#2e7d32" } },
    { selector: "node[kind = 'stance'], node[kind = 'policy']", style: { "shape": "cut-rectangle", "background-color": "#eceff1", "border-color": "#546e7a" } },
    { selector: "node[?hypothetical]", style: { "border-style": "dashed", "background-opacity": 0.45 } },
    { selector: "node[?focus]", style: { "width": 42, "height": 30, "border-width": 4, "font-size": 13, "font-weight": "bold" } },
    { selector: "edge", style: {
      "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.9, "width": 2,
      "line-color": "#455a64", "target-arrow-color": "#455a64",
      "label": "data(label)", "font-size": 9, "color": "#37474f", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
    } },
    { selector: "edge[group = 'causal']", style: { "line-color": "#c0392b", "target-arrow-color": "#c0392b", "width": 2.5 } },
    { selector: "edge[group = 'perception']", style: { "line-color": "#6a1b9a", "target-arrow-color": "#6a1b9a", "width": 2.5 } },
    { selector: "edge[group = 'stance']", style: { "line-color": "#78909c", "target-arrow-color": "#78909c" } },
    { selector: "edge[group = 'participation']", style: {
      "line-color": "#c5ccd3", "target-arrow-color": "#c5ccd3", "width": 1, "arrow-scale": 0.6, "label": "", "z-index": 0,
    } },
    { selector: "edge[modality = 'probable'], edge[modality = 'possible']", style: { "line-style": "dashed", "line-dash-pattern": [7, 5] } },
    { selector: "edge[modality = 'negated']", style: { "line-style": "dotted", "line-color": "#9e9e9e", "target-arrow-color": "#9e9e9e" } },
    { selector: ".fp-hidden", style: { "display": "none" } },
    { selector: "node:selected", style: { "border-color": "#f9a825", "border-width": 4 } },
    { selector: "edge:selected", style: { "width": 4, "line-color": "#f9a825", "target-arrow-color": "#f9a825" } },
    { selector: ".fp-faded", style: { "opacity": 0.2 } },
  ];

  // ------------------------------------------------------------ data

  function load() {
    body.dataset.state = "loading";
    if (embedded) {
      try {
        return Promise.resolve(JSON.parse(embedded.textContent));
      } catch (err) {
        return Promise.reject(new Error("the embedded graph data is not JSON"));
      }
    }
    var query = new URLSearchParams();
    if (params.get("actor")) query.set("actor", params.get("actor"));
    if (params.get("depth")) query.set("depth", params.get("depth"));
    say("loading…");
    return fetch("api/graph?" + query.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new Error(json && json.error ? json.error : "the graph could not be loaded (" + response.status + ")");
          return json;
        });
      });
  }

  // ------------------------------------------------------------ controls

  function fillActors(data) {
    var select = document.getElementById("actor-select");
    var chosen = data.actor && data.actor.length ? data.actor[0].iri : "";
    while (select.options.length > 1) select.remove(1);
    data.actors.forEach(function (a) {
      var option = el("option", null, a.label + " (" + a.claims + ")");
      option.value = a.iri;
      if (a.iri === chosen) option.selected = true;
      select.appendChild(option);
    });
    if (chosen && select.value !== chosen) {  // an actor without claims of its own
      var extra = el("option", null, data.actor[0].label);
      extra.value = chosen;
      extra.selected = true;
      select.appendChild(extra);
    }
    if (embedded) select.disabled = true;
  }

  function fillPredicates(data) {
    var box = document.getElementById("predicate-list");
    box.textContent = "";
    var wanted = listParam("predicate").map(function (p) { return localName(p.replace(/^fp:/, "")); });
    state.predicates = new Set();
    data.predicates.forEach(function (p) {
      var label = el("label", "fp-predicate fp-group-" + p.group);
      var box2 = el("input");
      box2.type = "checkbox";
      box2.name = "predicate";
      box2.value = p.name;
      box2.checked = box2.defaultChecked = wanted.length ? wanted.indexOf(p.name) >= 0 : isDefault(p);
      if (box2.checked) state.predicates.add(p.name);
      box2.addEventListener("change", function () {
        if (box2.checked) state.predicates.add(p.name); else state.predicates.delete(p.name);
        applyFilters(true);
      });
      label.appendChild(box2);
      label.appendChild(el("span", "fp-line fp-line-" + p.group));
      label.appendChild(document.createTextNode(" " + p.label + " "));
      label.appendChild(el("span", "fp-count", p.count));
      box.appendChild(label);
    });
  }

  // Shown unless the URL says otherwise: every predicate but "takes part" (who takes part
  // in an event is in its label, and the grey lines would double the links).
  function isDefault(p) {
    return p.name !== "participation";
  }

  function readModalities() {
    var wanted = listParam("modality").map(function (m) { return m.toLowerCase(); });
    if (wanted.indexOf("hedged") >= 0) wanted.push("probable", "possible");
    state.modalities = new Set();
    document.querySelectorAll("#modality-filter input").forEach(function (box) {
      box.checked = box.defaultChecked = !wanted.length || wanted.indexOf(box.value) >= 0;
      if (box.checked) state.modalities.add(box.value);
      box.addEventListener("change", function () {
        if (box.checked) state.modalities.add(box.value); else state.modalities.delete(box.value);
        applyFilters(true);
      });
    });
  }

  function updateUrl() {
    if (embedded) return;
    var defaults = state.data.predicates.filter(isDefault).map(function (p) { return p.name; });
    var all = defaults.length === state.predicates.size && defaults.every(function (n) { return state.predicates.has(n); });
    var next = new URLSearchParams();
    if (params.get("actor")) next.set("actor", params.get("actor"));
    if (params.get("depth")) next.set("depth", params.get("depth"));
    if (!all) next.set("predicate", Array.from(state.predicates).join(",") || "none");
    if (state.modalities.size < 4) next.set("modality", Array.from(state.modalities).join(","));
    var search = next.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  // ------------------------------------------------------------ drawing

  function elements(data) {
    var out = [];
    data.nodes.forEach(function (n) {
      out.push({ group: "nodes", data: {
        id: n.id, label: n.label, kind: n.kind, classes: n.classes, hypothetical: !!n.hypothetical, focus: !!n.focus,
      } });
    });
    data.edges.forEach(function (e) {
      out.push({ group: "edges", data: {
        id: e.id, source: e.source, target: e.target, label: e.label, name: e.name, group: e.group,
        modality: e.modality, predicate: e.predicate, claims: e.claims,
      } });
    });
    return out;
  }

  function draw(data) {
    state.data = data;
    if (state.cy) state.cy.destroy();
    state.cy = cytoscape({
      container: document.getElementById("graph"),
      elements: elements(data),
      style: STYLE,
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false,
    });
    var cy = state.cy;
    cy.on("mouseover", "edge, node", function (event) { showTooltip(event.target, event.renderedPosition); });
    cy.on("mouseout", "edge, node", hideTooltip);
    cy.on("tap", "edge, node", function (event) { showDetails(event.target); });
    cy.on("tap", function (event) { if (event.target === cy) showDetails(null); });
    applyFilters(false);
    if (data.truncated) say("the graph was cut to " + data.limits.nodes + " nodes: choose an actor or fewer predicates");
  }

  function applyFilters(changed) {
    var cy = state.cy;
    cy.batch(function () {
      cy.edges().forEach(function (edge) {
        var shown = state.predicates.has(edge.data("name")) && state.modalities.has(edge.data("modality"));
        edge.toggleClass("fp-hidden", !shown);
      });
      cy.nodes().forEach(function (node) {
        var shown = node.data("focus") || node.connectedEdges().some(function (e) { return !e.hasClass("fp-hidden"); });
        node.toggleClass("fp-hidden", !shown);
      });
    });
    if (changed) updateUrl();
    layout();
  }

  // The layered picture: dagre on a copy of the visible graph in which every edge points
  // from cause to effect — "responds to" is turned round (the response comes after what it
  // responds to) and so is "takes part" (the actor above what it does).
  function layeredPositions(visible) {
    var copy = [];
    visible.nodes().forEach(function (n) {
      var lines = Math.ceil(String(n.data("label")).length / 24);  // the label wraps at about 24 characters
      copy.push({ group: "nodes", data: { id: n.id(), height: 26 + 13 * lines } });
    });
    visible.edges().forEach(function (e) {
      var source = e.data("source"), target = e.data("target"), name = e.data("name");
      if (name === "respondsTo" || name === "participation") { var t = source; source = target; target = t; }
      if (source === target) return;
      var weight = e.data("group") === "causal" ? 4 : name === "participation" ? 1 : 2;
      copy.push({ group: "edges", data: { id: e.id(), source: source, target: target, weight: weight } });
    });
    var headless = cytoscape({ headless: true, styleEnabled: true, elements: copy,
      style: [{ selector: "node", style: { width: 150, height: "data(height)" } }] });
    headless.layout({ name: "dagre", rankDir: "LR", nodeSep: 10, rankSep: 90, edgeSep: 8, ranker: "network-simplex",
      edgeWeight: function (e) { return e.data("weight"); }, animate: false, fit: false }).run();
    var positions = {};
    headless.nodes().forEach(function (n) { positions[n.id()] = { x: n.position("x"), y: n.position("y") }; });
    headless.destroy();
    return positions;
  }

  function layoutOptions(name, visible) {
    if (name === "layered") {  // left to right
      var positions = layeredPositions(visible);
      return { name: "preset", positions: function (node) { return positions[node.id()]; }, padding: 30, animate: false, fit: true };
    }
    if (name === "concentric") {
      return { name: "concentric", padding: 30, minNodeSpacing: 30, avoidOverlap: true, nodeDimensionsIncludeLabels: true, animate: false,
        concentric: function (node) { return node.data("focus") ? 100 : node.degree(); }, levelWidth: function () { return 2; } };
    }
    return { name: "cose", padding: 30, animate: false, nodeDimensionsIncludeLabels: true, idealEdgeLength: function () { return 110; },
      nodeRepulsion: function () { return 9000; }, randomize: false, componentSpacing: 60, fit: true };
  }

  function layout() {
    var cy = state.cy;
    var name = document.getElementById("layout-select").value;
    var visible = cy.elements().not(".fp-hidden");
    body.dataset.state = "layout";
    var run = visible.layout(layoutOptions(name, visible));
    run.one("layoutstop", function () {
      cy.fit(visible, 30);
      describe();
      body.dataset.state = "ready";
    });
    run.run();
  }

  // ------------------------------------------------------------ hover, details, text

  function claimLines(container, edge) {
    var claims = edge.data("claims") || [];
    if (!claims.length) {
      container.appendChild(el("p", "fp-note", "who takes part (from the description of the event or situation)"));
      return;
    }
    claims.forEach(function (c) {
      var block = el("div", "fp-claim fp-claim-" + c.modality.toLowerCase());
      block.appendChild(el("q", null, c.quote || ""));
      var where = [c.modality.toLowerCase() + (c.habitual ? ", habitual" : "")];
      if (c.title) where.push(c.title);
      if (c.sentence !== null && c.sentence !== undefined) where.push("sentence " + c.sentence);
      block.appendChild(el("div", "fp-source", where.join(" · ")));
      container.appendChild(block);
    });
  }

  function describeElement(ele, container) {
    if (ele.isEdge()) {
      var title = el("div", "fp-title");
      title.appendChild(el("strong", null, ele.source().data("label")));
      title.appendChild(el("span", "fp-predicate-name", " " + ele.data("label") + " "));
      title.appendChild(el("strong", null, ele.target().data("label")));
      container.appendChild(title);
      claimLines(container, ele);
    } else {
      container.appendChild(el("div", "fp-title", ele.data("label")));
      var kind = (ele.data("classes") || []).join(", ") || ele.data("kind");
      container.appendChild(el("div", "fp-source", kind + (ele.data("hypothetical") ? " · only mentioned in hedged claims" : "")));
      var iri = el("div", "fp-iri", ele.id());
      container.appendChild(iri);
      if (ele.data("kind") === "actor" && !embedded) {
        var link = el("a", null, "the graph around " + ele.data("label"));
        link.href = "graph?actor=" + encodeURIComponent(ele.id());
        container.appendChild(link);
      }
    }
  }

  function showTooltip(ele, position) {
    tooltip.textContent = "";
    describeElement(ele, tooltip);
    tooltip.hidden = false;
    var box = document.getElementById("graph").getBoundingClientRect();
    var x = Math.min(box.left + window.scrollX + position.x + 14, window.scrollX + window.innerWidth - 380);
    tooltip.style.left = Math.max(0, x) + "px";
    tooltip.style.top = (box.top + window.scrollY + position.y + 14) + "px";
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  function showDetails(ele) {
    var details = document.getElementById("details");
    details.textContent = "";
    var cy = state.cy;
    cy.elements().removeClass("fp-faded");
    if (!ele) {
      details.appendChild(el("p", "fp-hint", "Hover over or click an arrow to read its quote and source."));
      return;
    }
    describeElement(ele, details);
    var near = ele.isEdge() ? ele.union(ele.connectedNodes()) : ele.closedNeighborhood();
    cy.elements().not(near).addClass("fp-faded");
  }

  // The text beside the picture: what is drawn, where, and how (read from Cytoscape's
  // rendered styles), for screen readers, for copying, and for the tests.
  function describe() {
    var cy = state.cy;
    var nodes = document.getElementById("node-list");
    var links = document.getElementById("edge-list");
    nodes.textContent = "";
    links.textContent = "";
    var visible = cy.nodes().not(".fp-hidden").sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); });
    visible.forEach(function (node) {
      var item = el("li", "fp-node", node.data("label"));
      var p = node.renderedPosition();
      item.dataset.kind = node.data("kind");
      item.dataset.iri = node.id();
      item.dataset.x = Math.round(p.x);
      item.dataset.y = Math.round(p.y);
      var bb = node.renderedBoundingBox({ includeLabels: true });
      item.dataset.box = [bb.x1, bb.y1, bb.x2, bb.y2].map(Math.round).join(",");
      nodes.appendChild(item);
    });
    cy.edges().not(".fp-hidden").forEach(function (edge) {
      var item = el("li", "fp-edge", edge.source().data("label") + " — " + edge.data("label") + " → " + edge.target().data("label") + " (" + edge.data("modality") + ")");
      item.dataset.predicate = edge.data("name");
      item.dataset.modality = edge.data("modality");
      item.dataset.lineStyle = edge.style("line-style");
      item.dataset.lineColor = edge.style("line-color");
      item.dataset.source = edge.source().data("label");
      item.dataset.target = edge.target().data("label");
      if ((edge.data("claims") || []).length) item.title = edge.data("claims")[0].quote || "";
      links.appendChild(item);
    });
    var container = document.getElementById("graph");
    body.dataset.nodes = visible.length;
    body.dataset.edges = cy.edges().not(".fp-hidden").length;
    body.dataset.width = container.clientWidth;
    body.dataset.height = container.clientHeight;
    var who = state.data.actor && state.data.actor.length ? " around " + state.data.actor.map(function (a) { return a.label; }).join(", ") : "";
    if (!state.data.truncated) say(visible.length + " nodes, " + body.dataset.edges + " links" + who);
  }

  // ------------------------------------------------------------ start

  document.getElementById("layout-select").addEventListener("change", function () { if (state.cy) layout(); });
  document.getElementById("fit-button").addEventListener("click", function () {
    if (state.cy) state.cy.fit(state.cy.elements().not(".fp-hidden"), 30);
  });
  document.getElementById("actor-select").addEventListener("change", function (event) {
    params.set("actor", event.target.value);
    if (!event.target.value) params.delete("actor");
    window.history.replaceState(null, "", "?" + params.toString());
    start();
  });
  var layoutSelect = document.getElementById("layout-select");
  if (params.get("layout")) layoutSelect.value = params.get("layout");
  if (!layoutSelect.value) layoutSelect.value = "layered";
  readModalities();

  function start() {
    load().then(function (data) {
      fillActors(data);
      fillPredicates(data);
      draw(data);
    }).catch(function (err) {
      body.dataset.state = "error";
      say(err.message);
    });
  }
  start();
})();
