// Code points, not UTF-16: claims files count Unicode code points (Python's str),
// JavaScript strings count UTF-16 units. Every offset the page shows or sends is a
// code-point offset; these helpers convert at the DOM boundary.
"use strict";
window.fpOffsets = (function () {
  // the number of code points in s (a surrogate pair is one)
  function cpLength(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }
  // the code-point offset of a DOM boundary point (node, offset) inside the text pane,
  // whose segments carry data-start (code points)
  function pointToCp(root, node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement.closest("[data-start]");
      if (!seg || !root.contains(seg)) return null;
      // text before this node inside the segment (a segment may hold a marker element)
      let before = 0;
      for (const child of seg.childNodes) {
        if (child === node) break;
        if (child.nodeType === Node.TEXT_NODE) before += cpLength(child.data);
      }
      return +seg.dataset.start + before + cpLength(node.data.slice(0, offset));
    }
    // an element boundary: before its offset-th child
    const kids = node.childNodes;
    if (offset < kids.length) {
      const seg = kids[offset].nodeType === Node.ELEMENT_NODE ? kids[offset] : null;
      if (seg && seg.dataset && seg.dataset.start !== undefined) return +seg.dataset.start;
      if (seg) { const inner = seg.querySelector("[data-start]"); if (inner) return +inner.dataset.start; }
    }
    const prev = kids[offset - 1];
    if (prev && prev.nodeType === Node.ELEMENT_NODE) {
      const seg = prev.dataset && prev.dataset.end !== undefined ? prev : [...prev.querySelectorAll("[data-end]")].pop();
      if (seg) return +seg.dataset.end;
    }
    return null;
  }
  return { cpLength, pointToCp };
})();
