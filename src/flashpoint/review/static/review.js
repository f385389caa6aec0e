// The review page: the sentence list, the text with each claim's quote highlighted,
// the claims of the selected sentence, keyboard review, saving.
"use strict";
(function () {
  const C = window.fpComplete, O = window.fpOffsets;
  const MODALITIES = ["asserted", "probable", "possible", "negated"];
  const $ = (id) => document.getElementById(id);
  let doc = null;        // the server's view of the document
  let claims = [];       // {key, id, data, deleted, moved, confirmed, labels, errors}
  let current = null;    // key of the selected claim
  let sentence = 0;      // the selected sentence
  let dirty = false;
  let nextKey = 0;

  // ------------------------------------------------------------ talking to the server
  async function api(path, body) {
    const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const response = await fetch(path, Object.assign({ credentials: "same-origin" }, init));
    let data = null;
    try { data = await response.json(); } catch (e) { data = { error: response.statusText }; }
    return { status: response.status, data };
  }
  const slug = () => decodeURIComponent(location.pathname.replace(/^\/doc\//, ""));
  async function validate(data) {
    const r = await api(`/api/doc/${encodeURIComponent(doc.slug)}/validate`, { claim: data });
    return r.status === 200 ? r.data : { errors: [{ field: null, message: r.data.error || "validation failed" }], labels: {} };
  }

  // ------------------------------------------------------------ state
  function pending(c) {
    if (c.deleted) return false;
    return (c.moved && !c.confirmed) || (c.data.extracted_by && c.data.extracted_by !== "curated" && c.data.accepted !== true);
  }
  function statusOf(c) {
    if (c.deleted) return "rejected";
    if (pending(c)) return c.moved && !c.confirmed ? "moved" : "proposal";
    if (c.id === null) return "new";
    return c.data.extracted_by && c.data.extracted_by !== "curated" ? "accepted" : "curated";
  }
  function ordered() { return [...claims].sort((a, b) => a.data.start - b.data.start || a.data.end - b.data.end || a.key - b.key); }
  function byKey(key) { return claims.find((c) => c.key === key); }
  function sentenceOf(start, end) {
    return doc.sentences.findIndex((s) => s.start <= start && end <= s.end);
  }

  function load(state) {
    doc = state;
    claims = state.claims.map((c) => ({ key: nextKey++, id: c.id, data: c.data, deleted: false, moved: c.moved, confirmed: false,
      missing: c.missing, labels: c.labels, errors: c.errors || [] }));
    dirty = false;
    const first = ordered().find(pending) || ordered()[0];
    current = first ? first.key : null;
    sentence = first ? first.data.sentence : 0;
    banner();
    renderAll();
    document.body.dataset.state = "ready";
  }

  function touch(c, revalidate) {
    dirty = true;
    if (revalidate) {
      validate(c.data).then((r) => { c.errors = r.errors; c.labels = r.labels; renderAll(); });
    }
    renderAll();
  }

  // ------------------------------------------------------------ rendering
  function colour(predicate) {
    let h = 0;
    for (const ch of predicate || "") h = (h * 31 + ch.charCodeAt(0)) % 360;
    return `hsla(${h}, 70%, 62%, 0.35)`;
  }

  function renderAll() { renderSentences(); renderText(); renderClaims(); renderStatus(); }

  function renderStatus() {
    const live = claims.filter((c) => !c.deleted);
    const n = claims.filter(pending).length;
    const errors = live.filter((c) => c.errors.length).length;
    $("status").textContent = `${doc.document} · ${live.length} claims · ${n} pending · ${errors} with errors` + (dirty ? " · unsaved" : "") + (doc.reviewed ? " · reviewed" : "");
    $("status").dataset.pending = n;
    $("status").dataset.dirty = dirty;
    $("mark-reviewed").disabled = n > 0 || errors > 0 || (doc.reviewed && !dirty);
  }

  function renderSentences() {
    const nav = $("sentences");
    nav.textContent = "";
    for (const s of doc.sentences) {
      const mine = claims.filter((c) => c.data.sentence === s.index && !c.deleted);
      const b = document.createElement("button");
      b.type = "button";
      b.className = "sentence" + (s.index === sentence ? " selected" : "") + (mine.some(pending) ? " has-pending" : "");
      b.dataset.index = s.index;
      const text = [...doc.text].slice(s.start, s.end).join("");
      b.textContent = `${s.index}  ${text.length > 70 ? text.slice(0, 69) + "…" : text}`;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = `${mine.length}` + (mine.some(pending) ? ` · ${mine.filter(pending).length}?` : "");
      b.append(count);
      b.addEventListener("click", () => selectSentence(s.index));
      nav.append(b);
    }
  }

  function renderText() {
    const pane = $("text");
    const chars = [...doc.text];
    const cuts = new Set([0, chars.length]);
    for (const s of doc.sentences) { cuts.add(s.start); cuts.add(s.end); }
    const live = claims.filter((c) => !c.deleted || c.key === current);
    for (const c of live) { cuts.add(Math.max(0, Math.min(chars.length, c.data.start))); cuts.add(Math.max(0, Math.min(chars.length, c.data.end))); }
    const points = [...cuts].sort((a, b) => a - b);
    pane.textContent = "";
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const span = document.createElement("span");
      span.className = "seg";
      span.dataset.start = a; span.dataset.end = b;
      span.textContent = chars.slice(a, b).join("");
      const covering = live.filter((c) => c.data.start <= a && b <= c.data.end).sort((x, y) => (x.data.end - x.data.start) - (y.data.end - y.data.start));
      if (covering.length) {
        const top = covering[0];
        span.classList.add("hl", "mod-" + (top.data.modality || "asserted"));
        if (covering.length > 1) span.classList.add("overlap");
        span.style.backgroundColor = colour(top.data.predicate);
        if (covering.some((c) => c.key === current)) span.classList.add("current");
        if (covering.some(pending)) span.classList.add("pending");
        if (covering.every((c) => c.deleted)) span.classList.add("rejected");
        span.dataset.claims = covering.map((c) => c.key).join(" ");
        span.title = covering.map((c) => `${row(c)} [${statusOf(c)}]`).join("\n");
        const ending = covering.filter((c) => c.data.end === b);
        if (ending.length) span.dataset.mark = ending.some(pending) ? "?" : "✓";
      }
      const sen = doc.sentences.find((s) => s.start <= a && b <= s.end);
      if (sen && sen.index === sentence) span.classList.add("in-sentence");
      pane.append(span);
    }
  }

  function row(c) {
    const l = c.labels || {};
    return `${l.subject || JSON.stringify(c.data.subject)} — ${l.predicate || c.data.predicate} — ${l.object || JSON.stringify(c.data.object)} · ${c.data.modality}${c.data.habitual ? " · habitual" : ""}`;
  }

  function renderClaims() {
    const box = $("claims");
    box.textContent = "";
    const h = document.createElement("h2");
    h.textContent = `Sentence ${sentence}`;
    box.append(h);
    const mine = ordered().filter((c) => c.data.sentence === sentence);
    if (!mine.length) {
      const p = document.createElement("p"); p.className = "empty"; p.textContent = "No claims here. Select words in the text to add one.";
      box.append(p);
    }
    for (const c of mine) {
      const div = document.createElement("div");
      div.className = "claim-row " + statusOf(c) + (c.key === current ? " current" : "") + (c.errors.length ? " invalid" : "");
      div.dataset.key = c.key;
      div.dataset.status = statusOf(c);
      div.style.borderLeftColor = colour(c.data.predicate).replace("0.35", "1");
      const text = document.createElement("div"); text.className = "row-text"; text.textContent = row(c);
      const meta = document.createElement("div"); meta.className = "row-meta";
      meta.textContent = `${statusOf(c)} · ${c.data.extracted_by || "curated"}` + (c.data.confidence !== undefined ? ` · ${c.data.confidence}` : "") + ` · “${c.data.quote}”`;
      div.append(text, meta);
      if (c.moved) {
        const m = document.createElement("div"); m.className = "moved";
        m.textContent = `moved from sentence ${c.moved.sentence} (${c.moved.start}–${c.moved.end}) to ${c.data.sentence} (${c.data.start}–${c.data.end})` + (c.moved.ambiguous > 1 ? `; the quote occurs ${c.moved.ambiguous} times` : "") + (c.confirmed ? " · confirmed" : " · press a to confirm");
        div.append(m);
      }
      for (const e of c.errors) {
        const err = document.createElement("div"); err.className = "error";
        err.textContent = (e.field ? e.field + ": " : "") + e.message + (e.hint ? " — " + e.hint : "");
        div.append(err);
      }
      const buttons = document.createElement("div"); buttons.className = "row-buttons";
      for (const [label, fn, key] of [["accept", accept, "a"], [c.deleted ? "restore" : "reject", reject, "x"], ["edit", edit, "e"]]) {
        const b = document.createElement("button"); b.type = "button"; b.textContent = `${label} (${key})`; b.className = "act-" + label;
        b.addEventListener("click", (ev) => { ev.stopPropagation(); current = c.key; fn(); });
        buttons.append(b);
      }
      div.append(buttons);
      div.addEventListener("click", () => { current = c.key; renderAll(); });
      box.append(div);
    }
    const cur = box.querySelector(".claim-row.current");
    if (cur) cur.scrollIntoView({ block: "nearest" });
  }

  function banner(text, kind, action) {
    const b = $("banner");
    b.textContent = "";
    b.className = kind || "";
    const messages = [];
    if (text) messages.push(text);
    else {
      if (doc.reanchored) {
        const moved = claims.filter((c) => c.moved).length, missing = claims.filter((c) => c.missing).length;
        messages.push(`The document changed after this file was reviewed: ${moved} claims moved (confirm each with a), ${missing} quotes are no longer in the text (edit or reject them). Saving records the new sha256.`);
      }
      for (const p of doc.problems || []) messages.push(`claims file line ${p.line}: ${p.message}` + (p.hint ? ` — ${p.hint}` : ""));
    }
    b.hidden = messages.length === 0;
    for (const m of messages) { const p = document.createElement("p"); p.textContent = m; b.append(p); }
    if (action) { const btn = document.createElement("button"); btn.type = "button"; btn.id = "banner-action"; btn.textContent = action[0]; btn.addEventListener("click", action[1]); b.append(btn); }
  }

  // ------------------------------------------------------------ actions
  function select(c) {
    if (!c) return;
    current = c.key;
    sentence = c.data.sentence;
    renderAll();
    const seg = document.querySelector(`#text .seg.current`);
    if (seg) seg.scrollIntoView({ block: "center" });
  }
  function selectSentence(i) {
    sentence = i;
    const first = ordered().find((c) => c.data.sentence === i && !c.deleted);
    current = first ? first.key : null;
    renderAll();
    const seg = document.querySelector(`#text .seg.in-sentence`);
    if (seg) seg.scrollIntoView({ block: "center" });
  }
  function step(delta) {
    const list = ordered();
    const i = list.findIndex((c) => c.key === current);
    select(list[Math.max(0, Math.min(list.length - 1, i + delta))]);
  }
  function nextPending() {
    const list = ordered();
    const i = list.findIndex((c) => c.key === current);
    const after = list.slice(i + 1).concat(list.slice(0, i + 1));
    const next = after.find(pending);
    if (next) select(next); else renderAll();
  }
  function accept() {
    const c = byKey(current);
    if (!c || c.deleted) return;
    if (c.moved) c.confirmed = true;
    if (c.data.extracted_by && c.data.extracted_by !== "curated") c.data.accepted = true;
    touch(c, false);
    nextPending();
  }
  function reject() {
    const c = byKey(current);
    if (!c) return;
    c.deleted = !c.deleted;
    touch(c, false);
    if (c.deleted) nextPending();
  }
  function cycleModality() {
    const c = byKey(current);
    if (!c || c.deleted) return;
    c.data.modality = MODALITIES[(MODALITIES.indexOf(c.data.modality) + 1) % MODALITIES.length];
    markEdited(c);
    touch(c, true);
  }
  function toggleHabitual() {
    const c = byKey(current);
    if (!c || c.deleted) return;
    c.data.habitual = !c.data.habitual;
    markEdited(c);
    touch(c, true);
  }
  function markEdited(c) {
    if (c.data.extracted_by && c.data.extracted_by !== "curated") c.data.accepted = true;
    if (c.moved) c.confirmed = true;
  }
  function edit() {
    const c = byKey(current);
    if (!c || c.deleted) return;
    window.fpForm.open($("form"), c.data, {
      title: "Edit claim", labels: c.labels, validate, focus: "subject",
      done: (data, result) => {
        c.data = data; markEdited(c);
        c.errors = result ? result.errors : []; c.labels = result ? result.labels : c.labels;
        touch(c, !result);
      },
    });
    $("claims").hidden = true;
  }
  function addFromSelection(start, end) {
    const chars = [...doc.text];
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    if (end <= start) return;
    const quote = chars.slice(start, end).join("");
    const s = sentenceOf(start, end);
    const data = { sentence: s < 0 ? doc.sentences.findIndex((x) => x.start <= start && start < x.end) : s, quote, start, end,
      subject: null, predicate: "", object: null, modality: "asserted", habitual: false, extracted_by: "curated" };
    window.fpForm.open($("form"), data, {
      title: "New claim", labels: {}, validate, focus: "subject",
      done: (d, result) => {
        const c = { key: nextKey++, id: null, data: d, deleted: false, moved: null, confirmed: true, labels: result ? result.labels : {}, errors: result ? result.errors : [] };
        claims.push(c); current = c.key; sentence = d.sentence;
        touch(c, !result);
      },
    });
    $("claims").hidden = true;
  }

  async function save(markReviewed) {
    const payload = {
      version: doc.version, reviewed: !!markReviewed, reanchor_confirmed: claims.every((c) => !c.moved || c.confirmed || c.deleted),
      claims: claims.map((c) => ({ id: c.id, data: c.data, deleted: c.deleted })),
    };
    if (doc.reanchored && !payload.reanchor_confirmed) { banner("Confirm (a) or reject (x) every claim that moved before saving.", "error"); return; }
    $("status").textContent = "saving…";
    document.body.dataset.state = "saving";
    const r = await api(`/api/doc/${encodeURIComponent(doc.slug)}/save`, payload);
    if (r.status === 200) {
      const saved = r.data.saved;
      const keep = current !== null ? byKey(current) : null;
      load(r.data);
      if (keep) { const same = ordered().find((c) => c.data.start === keep.data.start && c.data.end === keep.data.end); if (same) select(same); }
      const what = markReviewed ? "Marked reviewed and saved." : saved.changed ? `Saved: ${saved.edited} edited, ${saved.deleted} rejected, ${saved.added} added.` : "Nothing to save.";
      banner(saved.warning || what, saved.warning ? "warning" : "ok");
      document.body.dataset.saved = String(Date.now());
      return;
    }
    document.body.dataset.state = "ready";
    if (r.status === 409) {
      banner(r.data.error, "error", ["Reload from disk (drops unsaved edits)", () => openDoc(doc.slug)]);
    } else {
      // errors on the claims: index into the claims as the file would hold them
      const final = claims.filter((c) => c.id !== null && !c.deleted).sort((a, b) => a.id - b.id).concat(claims.filter((c) => c.id === null && !c.deleted));
      for (const e of r.data.errors || []) {
        if (e.index !== null && e.index !== undefined && final[e.index]) final[e.index].errors = [{ field: e.field, message: e.message, hint: e.hint }];
      }
      banner("Not saved: " + (r.data.error || "error"), "error");
    }
    renderAll();
  }

  // ------------------------------------------------------------ events
  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (window.fpForm.isOpen() || ev.target.closest("input, select, textarea")) return;
    const help = $("help");
    if (ev.key === "Escape") { help.hidden = true; return; }
    const actions = { j: () => step(1), k: () => step(-1), n: nextPending, a: accept, x: reject, e: edit, m: cycleModality,
      h: toggleHabitual, s: () => save(false), r: () => { if (!$("mark-reviewed").disabled) save(true); }, "?": () => (help.hidden = !help.hidden) };
    const fn = actions[ev.key];
    if (fn && doc) { ev.preventDefault(); fn(); }
  }

  function onMouseUp() {
    if (window.fpForm.isOpen()) return;
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return;
    const range = sel.getRangeAt(0), pane = $("text");
    if (!pane.contains(range.startContainer) || !pane.contains(range.endContainer)) return;
    const a = O.pointToCp(pane, range.startContainer, range.startOffset), b = O.pointToCp(pane, range.endContainer, range.endOffset);
    if (a === null || b === null || b <= a) return;
    addFromSelection(a, b);
    sel.removeAllRanges();
  }

  async function openDoc(s) {
    document.body.dataset.state = "loading";
    const r = await api(`/api/doc/${encodeURIComponent(s)}`);
    if (r.status !== 200) { doc = null; $("text").textContent = r.data.error || "cannot open"; document.body.dataset.state = "error"; return; }
    load(r.data);
  }

  window.fpReview = {
    formClosed() { $("claims").hidden = false; renderAll(); },
    state() { return { pending: claims.filter(pending).length, claims: claims.map((c) => ({ key: c.key, id: c.id, status: statusOf(c), data: c.data, errors: c.errors })) }; },
  };

  async function start() {
    const [vocab, docs] = await Promise.all([api("/api/vocabulary"), api("/api/documents")]);
    if (vocab.status !== 200) { document.body.dataset.state = "error"; $("text").textContent = vocab.data.error || "refused"; return; }
    C.setVocabulary(vocab.data);
    const picker = $("doc-picker");
    const opt = document.createElement("option"); opt.value = ""; opt.textContent = "— document —"; picker.append(opt);
    for (const d of docs.data) {
      const o = document.createElement("option");
      o.value = d.slug;
      o.textContent = `${d.slug} (${d.claims} claims${d.pending ? `, ${d.pending} pending` : ""}${d.reviewed ? ", reviewed" : ""})`;
      picker.append(o);
    }
    picker.addEventListener("change", () => { if (picker.value && (!dirty || confirm("Drop unsaved edits?"))) location.href = "/doc/" + encodeURIComponent(picker.value); });
    $("save").addEventListener("click", () => save(false));
    $("mark-reviewed").addEventListener("click", () => save(true));
    $("help-button").addEventListener("click", () => ($("help").hidden = !$("help").hidden));
    document.addEventListener("keydown", onKey);
    $("text").addEventListener("mouseup", onMouseUp);
    window.addEventListener("beforeunload", (ev) => { if (dirty) { ev.preventDefault(); ev.returnValue = ""; } });
    if (location.pathname.startsWith("/doc/")) { picker.value = slug(); await openDoc(slug()); }
    else {
      $("text").textContent = "Pick a document to review.";
      const list = document.createElement("ul");
      for (const d of docs.data) {
        const li = document.createElement("li"), a = document.createElement("a");
        a.href = "/doc/" + encodeURIComponent(d.slug); a.textContent = `${d.slug} — ${d.claims} claims${d.pending ? `, ${d.pending} pending` : ""}${d.reviewed ? ", reviewed" : ""}`;
        li.append(a); list.append(li);
      }
      $("text").append(list);
      document.body.dataset.state = "ready";
    }
  }
  start();
})();
