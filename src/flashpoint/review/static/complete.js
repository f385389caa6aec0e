// Autocomplete over the vocabulary (gazetteer actors, the project's actors, the
// ontology's classes with their labels and definitions, policies), and what an
// entity of a claims file is: its class and a readable name.
"use strict";
window.fpComplete = (function () {
  let vocab = null;
  const ROLE = { event: "agents", situation: "involves", capability: "holder" };

  function setVocabulary(v) { vocab = v; }
  function vocabulary() { return vocab; }

  // the class of an entity (as the ontology checker sees it), or null
  function classOf(entity) {
    if (entity == null) return null;
    if (typeof entity === "string") {
      const a = vocab.actors.find((x) => x.id === entity);
      return a ? a.cls : null;
    }
    if (entity.event) return entity.event;
    if (entity.situation) return entity.situation;
    if (entity.capability) return entity.capability;
    if (entity.policy && !entity.stance) return "PolicyOption";
    if (entity.stance) return "PolicyStance";
    if (entity.government) return "Government";
    if (entity.public) return "Public";
    if (entity.group) return "ActorGroup";
    if (entity.actor) return entity.class || "Actor";
    return null;
  }
  function familyOf(entity) {
    if (entity && typeof entity === "object") for (const f of ["event", "situation", "capability"]) if (entity[f]) return f;
    return null;
  }
  function actorLabel(a) {
    if (typeof a === "string") { const x = vocab.actors.find((y) => y.id === a); return x ? x.label : a; }
    const p = vocab.project_actors.find((y) => JSON.stringify(y.value) === JSON.stringify(a));
    return p ? p.label : (a.label || a.actor || a.group || (a.government && "government of " + actorLabel(a.government)) || (a.public && "public of " + actorLabel(a.public)) || JSON.stringify(a));
  }

  // the items offered for a subject or object ("kinds": which sorts to offer)
  function items(kinds) {
    const out = [];
    if (kinds.includes("actor")) {
      for (const a of vocab.actors) out.push({ kind: "actor", value: a.id, label: a.label, detail: a.cls + " · " + a.id, words: [a.id, ...a.aliases] });
      for (const a of vocab.project_actors) out.push({ kind: "actor", value: a.value, label: a.label, detail: "used in this project", words: [] });
    }
    for (const family of ["event", "situation", "capability"]) {
      if (!kinds.includes(family)) continue;
      for (const c of vocab.classes[family]) out.push({ kind: "class", family, value: c.name, label: c.label, detail: family + " · " + c.name, title: c.definition, words: [c.name] });
    }
    if (kinds.includes("policy")) for (const p of vocab.policies) out.push({ kind: "policy", value: { policy: p.slug }, label: p.label, detail: "policy · " + p.slug, title: p.definition, words: [p.slug] });
    return out;
  }

  function matches(item, q) {
    q = q.trim().toLowerCase();
    if (!q) return 0;
    const label = item.label.toLowerCase();
    if (label.startsWith(q)) return 3;
    if (label.split(/\s+/).some((w) => w.startsWith(q))) return 2;
    if (item.words.some((w) => String(w).toLowerCase().includes(q)) || label.includes(q)) return 1;
    return 0;
  }

  // an <input> with a list under it: arrow keys, Enter or a click pick an item
  function attach(input, source, onPick) {
    const list = document.createElement("ul");
    list.className = "ac-list";
    list.hidden = true;
    let shown = [], active = 0;
    function render() {
      if (!list.isConnected && input.parentNode) input.after(list);  // the input may join the page after attach()
      list.textContent = "";
      shown.forEach((item, i) => {
        const li = document.createElement("li");
        li.className = "ac-item" + (i === active ? " active" : "");
        const main = document.createElement("span");
        main.textContent = item.label;
        const small = document.createElement("small");
        small.textContent = " " + item.detail;
        li.append(main, small);
        if (item.title) li.title = item.title;
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
        list.append(li);
      });
      list.hidden = shown.length === 0;
    }
    function refresh() {
      const q = input.value;
      shown = source().map((it) => [matches(it, q), it]).filter((p) => p[0] > 0)
        .sort((a, b) => b[0] - a[0] || a[1].label.localeCompare(b[1].label)).slice(0, 12).map((p) => p[1]);
      active = 0;
      render();
    }
    function pick(i) {
      const item = shown[i];
      if (!item) return;
      input.value = item.label;
      shown = [];
      render();
      onPick(item);
    }
    input.addEventListener("input", refresh);
    input.addEventListener("focus", () => { if (input.value) refresh(); });
    input.addEventListener("blur", () => { shown = []; render(); });
    input.addEventListener("keydown", (ev) => {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, shown.length - 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
      else if (ev.key === "Enter" || ev.key === "Tab") { if (shown.length) { pick(active); ev.preventDefault(); } }
      else if (ev.key === "Escape") { shown = []; render(); ev.stopPropagation(); }
    });
  }

  // the entity an item gives (a class becomes {event: C, agents: []} etc.)
  function entityOf(item) {
    if (item.kind === "class") {
      const e = {}; e[item.family] = item.value;
      if (item.family !== "capability") e[ROLE[item.family]] = [];
      return e;
    }
    return item.value;
  }

  return { setVocabulary, vocabulary, classOf, familyOf, actorLabel, items, attach, entityOf, ROLE };
})();
