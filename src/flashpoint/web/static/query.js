// The SPARQL page of flashpoint serve: YASGUI on the same-origin endpoint, one button per
// query of the project, labels instead of bare IRIs in result tables, and share links
// (/?query=<url-encoded SPARQL> opens the page with that query and runs it).
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="flashpoint-sparql"]');
  var ENDPOINT = new URL(meta ? meta.content : "/sparql", window.location.href).toString();
  var RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  var LABEL_BATCH = 400; // IRIs per label query
  var MAX_LABELLED = 5000; // IRIs looked up per page
  var EXAMPLE = [
    "PREFIX fp: <https://w3id.org/flashpoint/ontology#>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "",
    "# The claims of the knowledge base, with their modality and quote",
    "SELECT DISTINCT ?subject ?predicate ?object ?modality ?quote WHERE {",
    "  ?claim a fp:Claim ; fp:claimSubject ?subject ; fp:claimPredicate ?predicate ;",
    "         fp:claimObject ?object ; fp:modality ?modality ; fp:quote ?quote .",
    "}",
    "LIMIT 100",
  ].join("\n");
  var labels = new Map(); // IRI → label
  var requested = new Set(); // IRIs already asked for
  var statusEl = document.getElementById("status");

  function say(text) {
    statusEl.textContent = text || "";
  }

  // ------------------------------------------------------------ YASGUI, local only

  // No look-ups on the network: the class and property completers ask lov.linkeddata.es.
  var completers = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.autocompleters = completers.slice();
  Yasgui.defaults.yasqe.autocompleters = completers.slice();
  Yasgui.Yasqe.defaults.prefixCcApi = null;

  // A share link may only set the query (and the tab's title); the endpoint, headers and
  // extra request arguments stay those of this server.
  function fromUrl(tab) {
    tab.requestConfig = Object.assign({}, tab.requestConfig, { endpoint: ENDPOINT, headers: {}, args: [], method: "POST" });
    return tab;
  }

  // Result tables: an IRI with a label is shown by its label, linked to the IRI.
  var Table = Yasgui.Yasr.plugins.table;
  var iriLink = Table.prototype.getUriLinkFromBinding;
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    var label = labels.get(binding.value);
    if (!label) return iriLink.call(this, binding, prefixes);
    var el;
    if (/^https?:\/\//i.test(binding.value)) {
      el = document.createElement("a");
      el.href = binding.value;
      el.target = "_blank";
      el.rel = "noopener noreferrer";
    } else {
      el = document.createElement("span");
    }
    el.className = "iri fp-labelled";
    el.title = binding.value;
    el.textContent = label;
    return el.outerHTML;
  };

  // Tables start in YASR's "simple view" (no row numbers, no datatypes) without ellipses:
  // quotes are meant to be read. Both stay switches above the table.
  var tableDraw = Table.prototype.draw;
  Table.prototype.draw = function (config) {
    return tableDraw.call(this, Object.assign({ compact: true, isEllipsed: false }, config || {}));
  };

  var PREFIXES = {
    fp: "https://w3id.org/flashpoint/ontology#",
    fpid: "https://w3id.org/flashpoint/id/",
    prov: "http://www.w3.org/ns/prov#",
    skos: "http://www.w3.org/2004/02/skos/core#",
    dcterms: "http://purl.org/dc/terms/",
    wd: "http://www.wikidata.org/entity/",
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    owl: "http://www.w3.org/2002/07/owl#",
    xsd: "http://www.w3.org/2001/XMLSchema#",
  };

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: ENDPOINT, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: ENDPOINT }]; },
      keys: [],
      renderItem: function (item, row) {
        var span = document.createElement("span");
        span.textContent = item.value.endpoint;
        row.appendChild(span);
      },
    },
    populateFromUrl: fromUrl,
    persistenceId: "flashpoint",
    yasqe: { value: EXAMPLE, editorHeight: "260px" },
    tabName: "Query",
    yasr: { defaultPlugin: "table", maxPersistentResponseSize: 500000, prefixes: PREFIXES },
  });

  // ------------------------------------------------------------ labels

  function sparqlIri(iri) {
    return /^[^<>"{}|^`\\\u0000-\u0020]+$/.test(iri) ? "<" + iri + ">" : null;
  }

  function lookUp(iris) {
    var terms = iris.map(sparqlIri).filter(Boolean);
    if (!terms.length) return Promise.resolve(false);
    var query = "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " + terms.join(" ") + " } ?s <" + RDFS_LABEL + "> ?l } GROUP BY ?s";
    return fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: query,
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) {
        var added = false;
        if (!json || !json.results) return false;
        json.results.bindings.forEach(function (b) {
          if (b.s && b.label && b.s.type === "uri") {
            labels.set(b.s.value, b.label.value);
            added = true;
          }
        });
        return added;
      })
      .catch(function () { return false; });
  }

  function labelResults(yasr) {
    var results = yasr && yasr.results;
    var bindings = results && results.getBindings ? results.getBindings() : null;
    if (!bindings) return;
    var wanted = [];
    bindings.forEach(function (row) {
      Object.keys(row).forEach(function (v) {
        var t = row[v];
        if (t && t.type === "uri" && !requested.has(t.value) && requested.size < MAX_LABELLED) {
          requested.add(t.value);
          wanted.push(t.value);
        }
      });
    });
    if (!wanted.length) return;
    var batches = [];
    for (var i = 0; i < wanted.length; i += LABEL_BATCH) batches.push(lookUp(wanted.slice(i, i + LABEL_BATCH)));
    Promise.all(batches).then(function (added) {
      if (added.some(Boolean) && yasr.results === results) yasr.draw();
    });
  }

  var watched = new WeakSet();
  function watch(tab) {
    var yasr = tab && tab.getYasr && tab.getYasr();
    if (!yasr || watched.has(yasr)) return;
    watched.add(yasr);
    yasr.on("drawn", function () { labelResults(yasr); });
    labelResults(yasr);
  }

  // ------------------------------------------------------------ share links

  function shareLink(query) {
    var url = new URL(window.location.href);
    url.hash = "";
    url.search = "?query=" + encodeURIComponent(query);
    return url.toString();
  }

  function showShareLink(tab) {
    var query = tab.getQuery ? tab.getQuery() : (tab.getYasqe && tab.getYasqe().getValue()) || "";
    var link = shareLink(query);
    var input = document.getElementById("share-link");
    input.value = link;
    input.setAttribute("value", link);
    return link;
  }

  document.getElementById("share-button").addEventListener("click", function () {
    var tab = yasgui.getTab();
    if (!tab) return;
    var link = showShareLink(tab);
    var input = document.getElementById("share-link");
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(function () { say("link copied"); }, function () { say("select the link and copy it"); });
    } else {
      say("select the link and copy it");
    }
  });

  yasgui.on("queryResponse", function (_yasgui, tab) {
    watch(tab);
    var query = tab.getQuery ? tab.getQuery() : "";
    if (query) window.history.replaceState(null, "", shareLink(query));
    showShareLink(tab);
    say("");
  });
  yasgui.on("tabSelect", function () {
    window.setTimeout(function () {
      var tab = yasgui.getTab();
      watch(tab);
      if (tab) showShareLink(tab);
    }, 0);
  });
  yasgui.on("tabAdd", function (_yasgui, id) { watch(yasgui.getTab(id)); });
  Object.keys(yasgui._tabs || {}).forEach(function (id) { watch(yasgui.getTab(id)); });
  if (yasgui.getTab()) showShareLink(yasgui.getTab());

  // ------------------------------------------------------------ the project's queries

  function tabName(q) {
    var short = /^(CQ\s*\d+)\b/i.exec(q.title);
    return short ? short[1].toUpperCase().replace(/\s+/g, "") : q.name;
  }

  function openQuery(q) {
    var name = tabName(q);
    var existing = null;
    Object.keys(yasgui._tabs || {}).forEach(function (id) {
      var tab = yasgui.getTab(id);
      if (tab && tab.getName() === name) existing = tab;
    });
    var tab = existing;
    if (tab) {
      if (tab.getQuery() !== q.text) tab.setQuery(q.text);
    } else {
      tab = yasgui.addTab(true, { name: name, yasqe: { value: q.text }, requestConfig: { endpoint: ENDPOINT, method: "POST" } });
    }
    yasgui.markTabSelected(tab.getId());
    yasgui.persistentConfig.setActive(tab.getId());
    watch(tab);
    say("running " + name + "…");
    tab.query().catch(function (err) { say(String(err && err.message ? err.message : err)); });
  }

  fetch("api/queries", { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("the queries could not be listed (" + response.status + ")");
      return response.json();
    })
    .then(function (queries) {
      var box = document.getElementById("query-buttons");
      queries.forEach(function (q) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "fp-query-button";
        button.dataset.name = q.name;
        button.title = q.title + " (" + q.name + ".rq)";
        button.textContent = q.title;
        button.addEventListener("click", function () { openQuery(q); });
        box.appendChild(button);
      });
    })
    .catch(function (err) { say(err.message); });
})();
