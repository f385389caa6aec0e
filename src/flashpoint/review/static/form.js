// The claim form: add (from a text selection) or edit. The quote, its offsets and its
// sentence come from the document, never from typing; subject, predicate and object are
// picked from the vocabulary; every change is validated by the server as the build would.
"use strict";
window.fpForm = (function () {
  const C = window.fpComplete;
  let form, draft, done, validate, timer = null, seq = 0, inFlight = false;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const k of kids) e.append(k);
    return e;
  }
  function field(name, label, ...inputs) {
    return el("div", { class: "field", "data-field": name }, el("label", { text: label }), ...inputs, el("div", { class: "field-errors" }));
  }

  // chips for the actors of an event / situation / capability
  function slots(entity, rerender) {
    const family = C.familyOf(entity);
    if (!family) return el("div");
    const role = C.ROLE[family];
    const box = el("div", { class: "slots" }, el("span", { class: "slot-role", text: role + ":" }));
    const members = role === "holder" ? (entity.holder ? [entity.holder] : []) : entity[role] || [];
    members.forEach((m, i) => {
      const x = el("button", { type: "button", class: "chip", title: "remove" }, C.actorLabel(m) + " ×");
      x.addEventListener("click", () => {
        if (role === "holder") delete entity.holder; else entity[role].splice(i, 1);
        rerender();
      });
      box.append(x);
    });
    const input = el("input", { type: "text", class: "slot-input", placeholder: "add an actor…", "data-role": role });
    box.append(input);
    C.attach(input, () => C.items(["actor"]), (item) => {
      if (role === "holder") entity.holder = item.value; else entity[role].push(item.value);
      rerender(true);
    });
    return box;
  }

  function property(name) { return C.vocabulary().properties.find((p) => p.name === name); }

  function render(focusSlot) {
    const v = C.vocabulary();
    form.textContent = "";
    const d = draft;
    form.append(el("h3", { text: d.__title }));
    form.append(el("blockquote", { id: "f-quote", text: d.quote }));
    form.append(el("p", { class: "where", id: "f-where", text: `sentence ${d.sentence} · characters ${d.start}–${d.end}` }));
    // subject
    const subject = el("input", { type: "text", id: "f-subject", placeholder: "an actor, event, situation or capability…" });
    subject.value = d.__labels.subject || "";
    C.attach(subject, () => C.items(["actor", "event", "situation", "capability"]), (item) => {
      d.subject = C.entityOf(item); d.__labels.subject = item.label; changed(); render(C.familyOf(d.subject) ? "subject" : "predicate");
    });
    form.append(field("subject", "Subject", subject, slots(d.subject, (again) => { changed(); render(again ? "subject" : null); })));
    // predicate: the properties whose domain the subject's class fits
    const cls = C.classOf(d.subject);
    const predicate = el("select", { id: "f-predicate" }, el("option", { value: "", text: "— predicate —" }));
    for (const p of v.properties) {
      if (cls && !p.fits.subject.includes(cls) && p.name !== d.predicate) continue;
      const o = el("option", { value: p.name, text: `${p.label} (${p.name})`, title: p.definition });
      if (p.name === d.predicate) o.selected = true;
      predicate.append(o);
    }
    predicate.addEventListener("change", () => {
      const before = property(d.predicate), after = property(predicate.value);
      d.predicate = predicate.value;
      if (after && before && (after.stance !== before.stance || after.year !== before.year)) { d.object = null; d.__labels.object = ""; }
      if (after && after.stance && !(d.object && d.object.stance)) d.object = { stance: "support", policy: v.policies[0].slug };
      if (after && after.year && !(d.object && d.object.year !== undefined)) d.object = { year: new Date().getFullYear() };
      changed(); render("object");
    });
    form.append(field("predicate", "Predicate", predicate));
    // object
    const prop = property(d.predicate);
    if (prop && prop.stance) {
      const stance = el("select", { id: "f-stance" }, ...["support", "opposition"].map((s) => el("option", { value: s, text: s })));
      stance.value = d.object.stance;
      const policy = el("select", { id: "f-policy" }, ...v.policies.map((p) => el("option", { value: p.slug, text: p.label, title: p.definition })));
      policy.value = d.object.policy;
      const over = el("select", { id: "f-over" }, el("option", { value: "", text: "— over (optional) —" }), ...v.policies.map((p) => el("option", { value: p.slug, text: p.label })));
      over.value = d.object.over || "";
      for (const s of [stance, policy, over]) s.addEventListener("change", () => {
        d.object = { stance: stance.value, policy: policy.value }; if (over.value) d.object.over = over.value; changed();
      });
      form.append(field("object", "Stance", stance, policy, over));
    } else if (prop && prop.year) {
      const year = el("input", { type: "number", id: "f-year", step: "1" });
      year.value = d.object.year;
      const precision = el("select", { id: "f-precision" }, el("option", { value: "", text: "year" }), el("option", { value: "decade", text: "decade" }), el("option", { value: "century", text: "century" }));
      precision.value = d.object.precision || "";
      for (const s of [year, precision]) s.addEventListener("input", () => {
        d.object = { year: parseInt(year.value, 10) }; if (precision.value) d.object.precision = precision.value; changed();
      });
      form.append(field("object", "Year", year, precision));
    } else {
      const object = el("input", { type: "text", id: "f-object", placeholder: "an actor, event, situation, capability or policy…" });
      object.value = d.__labels.object || "";
      const fits = prop ? prop.fits.object : null;
      C.attach(object, () => C.items(["actor", "event", "situation", "capability", "policy"]).filter((it) => {
        if (!fits) return true;
        const c = it.kind === "class" ? it.value : it.kind === "policy" ? "PolicyOption" : C.classOf(it.value);
        return !c || fits.includes(c);
      }), (item) => { d.object = C.entityOf(item); d.__labels.object = item.label; changed(); render(C.familyOf(d.object) ? "object" : "modality"); });
      form.append(field("object", "Object", object, slots(d.object, (again) => { changed(); render(again ? "object" : null); })));
    }
    // modality, habitual, note
    const modality = el("select", { id: "f-modality" }, ...v.modalities.map((m) => el("option", { value: m, text: m })));
    modality.value = d.modality;
    modality.addEventListener("change", () => { d.modality = modality.value; changed(); });
    const habitual = el("input", { type: "checkbox", id: "f-habitual" });
    habitual.checked = !!d.habitual;
    habitual.addEventListener("change", () => { d.habitual = habitual.checked; changed(); });
    form.append(field("modality", "Modality", modality, el("label", { class: "inline" }, habitual, " habitual")));
    const note = el("input", { type: "text", id: "f-note", placeholder: "note (optional)" });
    note.value = d.note || "";
    note.addEventListener("input", () => { d.note = note.value; changed(); });
    form.append(field("note", "Note", note));
    form.append(el("p", { id: "f-preview", class: "preview" }));
    form.append(el("ul", { id: "f-errors", class: "errors" }));
    const ok = el("button", { type: "submit", id: "f-ok", text: "Keep claim ⏎" });
    const cancel = el("button", { type: "button", id: "f-cancel", text: "Cancel (Esc)" });
    cancel.addEventListener("click", close);
    form.append(el("div", { class: "buttons" }, ok, cancel));
    showResult(d.__result);
    const focus = focusSlot === "subject" ? (form.querySelector('[data-field="subject"] .slot-input') || subject)
      : focusSlot === "object" ? (form.querySelector('[data-field="object"] .slot-input') || form.querySelector("#f-object, #f-stance, #f-year"))
      : focusSlot === "predicate" ? predicate : focusSlot === "modality" ? modality : null;
    if (focus) focus.focus();
  }

  function claimData() {
    const out = {};
    for (const [k, v] of Object.entries(draft)) if (!k.startsWith("__")) out[k] = v;
    if (!out.note) delete out.note;
    return out;
  }

  function showResult(result) {
    if (!form || form.hidden) return;
    const list = form.querySelector("#f-errors");
    if (!list) return;
    list.textContent = "";
    form.querySelectorAll(".field-errors").forEach((e) => (e.textContent = ""));
    form.dataset.valid = inFlight ? "pending" : result && result.errors.length === 0 ? "true" : "false";
    if (!result) return;
    for (const e of result.errors) {
      const text = e.message + (e.hint ? " — " + e.hint : "");
      const slot = e.field && form.querySelector(`[data-field="${e.field}"] .field-errors`);
      if (slot) slot.append(el("div", { class: "error", text }));
      else list.append(el("li", { class: "error", text }));
    }
    const l = result.labels || {};
    form.querySelector("#f-preview").textContent = l.subject && l.object ? `${l.subject} — ${l.predicate} — ${l.object} · ${draft.modality}${draft.habitual ? " · habitual" : ""}` : "";
  }

  function changed() {
    clearTimeout(timer);
    const mine = ++seq;
    inFlight = true;
    form.dataset.valid = "pending";
    timer = setTimeout(async () => {
      if (!draft.subject || !draft.predicate || !draft.object) {
        draft.__result = { errors: [{ field: null, message: "pick a subject, a predicate and an object" }], labels: {} };
      } else {
        draft.__result = await validate(claimData());
      }
      if (mine === seq) { inFlight = false; showResult(draft.__result); }
    }, 120);
  }

  function open(container, claim, options) {
    form = container;
    validate = options.validate;
    done = options.done;
    draft = JSON.parse(JSON.stringify(claim));
    draft.__title = options.title;
    draft.__labels = Object.assign({}, options.labels || {});
    draft.__result = null;
    inFlight = false;
    if (draft.modality === undefined) draft.modality = "asserted";
    form.hidden = false;
    form.onsubmit = (ev) => {
      ev.preventDefault();
      if (form.dataset.valid !== "true") { changed(); return; }
      const data = claimData();
      const result = draft.__result;
      close();
      done(data, result);
    };
    form.onkeydown = (ev) => { if (ev.key === "Escape") { ev.preventDefault(); close(); } };
    render(options.focus || "subject");
    if (draft.subject && draft.predicate && draft.object) changed(); else showResult(null);
  }

  function close() {
    if (!form) return;
    form.hidden = true;
    form.textContent = "";
    clearTimeout(timer);
    if (window.fpReview) window.fpReview.formClosed();
  }

  function isOpen() { return form && !form.hidden; }

  return { open, close, isOpen };
})();
