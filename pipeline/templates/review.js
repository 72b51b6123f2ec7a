(function () {
  "use strict";
  // Everything the script knows comes from the DOM: each change (.chg) and doubtful kept
  // word (.doubt) carries its place in the output (data-key "line:start:end"), what the
  // input had, what the output has, and its alternatives. Decisions live in
  // localStorage under the document's hash, so they survive a reload and never land
  // on a page of different text.
  var body = document.body;
  var docs = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var all = Array.prototype.slice.call(document.querySelectorAll(".chg, .doubt"));
  var items = all.filter(function (el) { return el.dataset.key !== undefined; });
  var docOf = new Map();
  docs.forEach(function (sec) {
    sec.querySelectorAll(".chg, .doubt").forEach(function (el) { docOf.set(el, sec); });
  });
  var byKey = new Map();  // document + key -> element
  items.forEach(function (el) { byKey.set(docOf.get(el).dataset.document + " " + el.dataset.key, el); });
  var cur = -1;  // index in `all`
  var pos = document.getElementById("pos");
  var progress = document.getElementById("progress");
  var fModel = document.getElementById("f-model");
  var fDict = document.getElementById("f-dictionary");
  var fDoubt = document.getElementById("f-doubt");
  var fChanged = document.getElementById("f-changed");
  var fLow = document.getElementById("f-low");
  var panel = document.getElementById("panel");
  var pWhat = document.getElementById("p-what");
  var pAlts = document.getElementById("p-alts");
  var pEdit = document.getElementById("p-edit");
  var STORE = "vnocr-review:";

  function low() { var v = parseFloat(fLow.value); return isNaN(v) ? 0.6 : v; }
  function conf(el) { var v = parseFloat(el.dataset.conf); return isNaN(v) ? 0 : v; }
  function isChange(el) { return el.classList.contains("chg"); }
  function shown(el) {
    var s = el.dataset.stage;
    if (!isChange(el)) return fDoubt.checked;
    if (s === "model" && !fModel.checked) return false;
    if (s === "dictionary" && !fDict.checked) return false;
    return true;
  }
  function alts(el) {
    try { return JSON.parse(el.dataset.alts || "[]"); } catch (e) { return []; }
  }

  // -- decisions ---------------------------------------------------------------------
  var decisions = new Map();  // element -> {d: accept|reject|choose|edit, text}
  var original = new Map();  // element -> its first innerHTML
  function load() {
    docs.forEach(function (sec) {
      var saved = {};
      try { saved = JSON.parse(localStorage.getItem(STORE + sec.dataset.document) || "{}"); }
      catch (e) { saved = {}; }
      Object.keys(saved).forEach(function (key) {
        var el = byKey.get(sec.dataset.document + " " + key);
        if (el) { decisions.set(el, saved[key]); paint(el); }
      });
    });
  }
  function save(sec) {
    var out = {};
    items.forEach(function (el) {
      if (docOf.get(el) === sec && decisions.has(el)) out[el.dataset.key] = decisions.get(el);
    });
    try { localStorage.setItem(STORE + sec.dataset.document, JSON.stringify(out)); }
    catch (e) { /* storage full or disabled: decisions stay for this visit */ }
  }
  function finalText(el) {
    var d = decisions.get(el);
    if (!d || d.d === "accept") return el.dataset.after;
    if (d.d === "reject") return isChange(el) ? el.dataset.before : el.dataset.after;
    return d.text;
  }
  function paint(el) {
    if (!original.has(el)) original.set(el, el.innerHTML);
    var d = decisions.get(el);
    el.classList.remove("d-accept", "d-reject", "d-choose", "d-edit");
    if (!d) { el.innerHTML = original.get(el); return; }
    el.classList.add("d-" + d.d);
    if (d.d === "accept" || (d.d === "reject" && !isChange(el))) el.innerHTML = original.get(el);
    else el.textContent = finalText(el);
  }
  function decide(el, d, text) {
    if (!el || el.dataset.key === undefined) return;
    if (d === null) decisions.delete(el);
    else if (d === "reject" && !isChange(el)) decisions.set(el, {d: "accept"});
    else decisions.set(el, text === undefined ? {d: d} : {d: d, text: text});
    paint(el);
    save(docOf.get(el));
    report();
  }

  // -- navigation ----------------------------------------------------------------------
  // Work order: lowest confidence first, reading order among equals.
  var queue = items.map(function (el, i) { return [conf(el), i, el]; })
    .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
    .map(function (x) { return x[2]; });
  var queueAt = new Map();
  queue.forEach(function (el, i) { queueAt.set(el, i); });
  var indexOf = new Map();
  all.forEach(function (el, i) { indexOf.set(el, i); });

  function select(i, scroll) {
    if (cur >= 0) all[cur].classList.remove("current");
    cur = i;
    var el = all[cur];
    el.classList.add("current");
    if (scroll) el.scrollIntoView({block: "center"});
    showPanel(el);
    report();
  }
  function go(step) {
    for (var k = 1; k <= all.length; k++) {
      var i = ((cur + step * k) % all.length + all.length) % all.length;
      if (shown(all[i])) { select(i, true); return; }
    }
  }
  function goQueue(step) {
    if (!queue.length) return;
    var at = cur >= 0 && queueAt.has(all[cur]) ? queueAt.get(all[cur]) : (step > 0 ? -1 : 0);
    for (var k = 1; k <= queue.length; k++) {
      var el = queue[((at + step * k) % queue.length + queue.length) % queue.length];
      if (shown(el) && !decisions.has(el)) { select(indexOf.get(el), true); return; }
    }
  }
  function showPanel(el) {
    panel.hidden = el.dataset.key === undefined;
    var what = isChange(el)
      ? el.dataset.stage + " · " + el.dataset.before + " → " + el.dataset.after
      : "kept · " + el.dataset.reason + " · " + el.dataset.after;
    pWhat.textContent = what + " · confidence " + (isNaN(parseFloat(el.dataset.conf)) ? "n/a"
      : parseFloat(el.dataset.conf).toFixed(2));
    pAlts.textContent = "";
    alts(el).forEach(function (a, k) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "alt";
      b.textContent = (k + 1) + " " + a[0] + (a[1] === null ? " (model)" : " " + a[1].toFixed(2));
      b.title = a[2] === "model" ? "the restorer's next best: its probability here"
        : a[2] === "restored" ? "the model's reading" : "share of corpus frequency";
      b.addEventListener("click", function () { choose(k); });
      pAlts.appendChild(b);
    });
    pEdit.value = finalText(el);
  }
  function choose(k) {
    var el = all[cur], a = alts(el)[k];
    if (a) { decide(el, "choose", a[0]); next(); }
  }
  function next() { goQueue(1); if (cur >= 0) showPanel(all[cur]); }

  function apply() {
    var n = 0, nl = 0, t = low();
    all.forEach(function (el) {
      var on = shown(el);
      el.classList.toggle("dim", !on);
      if (on && isChange(el)) { n++; if (conf(el) < t) nl++; }
    });
    body.classList.toggle("only-changed", fChanged.checked);
    body.dataset.shown = String(n);
    body.dataset.lowShown = String(nl);
    report();
  }
  function report() {
    var at = cur >= 0 ? (cur + 1) + " of " + all.length : all.length + " marked";
    pos.textContent = at + " · " + body.dataset.shown + " changes shown · " +
      body.dataset.lowShown + " low";
    progress.textContent = decisions.size + " decided / " + (items.length - decisions.size) +
      " to decide";
    body.dataset.decided = String(decisions.size);
  }

  // -- export --------------------------------------------------------------------------
  function lineTexts(sec) {
    var out = [];
    sec.querySelectorAll("td.out").forEach(function (td) {
      var s = "";
      td.childNodes.forEach(function (node) {
        if (node.nodeType === 3) s += node.nodeValue;
        else if (node.classList && node.classList.contains("unplaced")) return;
        else if (node.dataset && node.dataset.after !== undefined) s += finalText(node);
        else s += node.textContent;
      });
      out.push(s);
    });
    return out;
  }
  function isName(el, d, text) {
    if (d.d === "reject" || !/\p{L}/u.test(text)) return false;
    var words = text.split(/\s+/).filter(Boolean);
    var capitalised = words.every(function (w) { return /^\p{Lu}[\p{L}\p{M}]*$/u.test(w); });
    if (el.dataset.stage === "dictionary") return capitalised;
    return d.d !== "accept" && capitalised && words.length >= 2;
  }
  function decisionsOf(sec) {
    var list = [];
    items.forEach(function (el) {
      if (docOf.get(el) !== sec || !decisions.has(el)) return;
      var d = decisions.get(el), k = el.dataset.key.split(":").map(Number), text = finalText(el);
      list.push({line: k[0], start: k[1], end: k[2], kind: isChange(el) ? "change" : "doubt",
        stage: el.dataset.stage || null, before: isChange(el) ? el.dataset.before : el.dataset.after,
        after: el.dataset.after, confidence: parseFloat(el.dataset.conf),
        decision: d.d, text: text, name: isName(el, d, text)});
    });
    return list;
  }
  function download(name, text, type) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], {type: type}));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function baseName(sec) {
    var label = sec.dataset.label || body.dataset.title || "review";
    return label.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N}._-]+/gu, "_") || "review";
  }
  function exportText() {
    docs.forEach(function (sec) {
      download(baseName(sec) + ".reviewed.txt", lineTexts(sec).join("\n"), "text/plain;charset=utf-8");
    });
  }
  function exportDecisions() {
    var out = {format: "vnocr-review-decisions", version: 1, documents: docs.map(function (sec) {
      return {label: sec.dataset.label, document: sec.dataset.document,
        input_sha256: sec.dataset.inputSha256, output_sha256: sec.dataset.outputSha256,
        decisions: decisionsOf(sec)};
    })};
    var name = docs.length === 1 ? baseName(docs[0]) : "review";
    download(name + ".decisions.json", JSON.stringify(out, null, 1) + "\n", "application/json");
  }
  function exportNames() {
    var seen = new Set();
    docs.forEach(function (sec) {
      decisionsOf(sec).forEach(function (d) { if (d.name) seen.add(d.text); });
    });
    var lines = ["# names confirmed on the review page: vnocr correct --dict THIS_FILE"];
    seen.forEach(function (n) { lines.push(n); });
    download("names.txt", lines.join("\n") + "\n", "text/plain;charset=utf-8");
  }

  // -- wiring ----------------------------------------------------------------------------
  function hot(el, on) {
    el.classList.toggle("hot", on);
    var w = el.id ? document.getElementById("w-" + el.id) : null;
    if (w) w.classList.toggle("hot", on);
  }
  document.querySelector("main").addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest(".chg, .doubt");
    if (el && indexOf.has(el)) select(indexOf.get(el), false);
  });
  document.querySelector("main").addEventListener("mouseover", function (e) {
    var el = e.target.closest && e.target.closest(".chg");
    if (el) { hot(el, true); el.addEventListener("mouseleave", function () { hot(el, false); }, {once: true}); }
  });
  [fModel, fDict, fDoubt, fChanged, fLow].forEach(function (el) { el.addEventListener("change", apply); });
  function on(id, f) { document.getElementById(id).addEventListener("click", f); }
  on("b-next", function () { go(1); });
  on("b-prev", function () { go(-1); });
  on("b-nextlow", function () { goQueue(1); });
  on("b-prevlow", function () { goQueue(-1); });
  on("b-accept", function () { if (cur >= 0) { decide(all[cur], "accept"); next(); } });
  on("b-reject", function () { if (cur >= 0) { decide(all[cur], "reject"); next(); } });
  on("b-undo", function () { if (cur >= 0) { decide(all[cur], null); showPanel(all[cur]); } });
  on("b-export-text", exportText);
  on("b-export-decisions", exportDecisions);
  on("b-export-names", exportNames);
  pEdit.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && cur >= 0) {
      var el = all[cur], v = pEdit.value.replace(/[\r\n]+/g, " ");
      if (v !== el.dataset.after) decide(el, "edit", v); else decide(el, "accept");
      pEdit.blur();
      next();
    } else if (e.key === "Escape") { pEdit.blur(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT") return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var el = cur >= 0 ? all[cur] : null;
    if (e.key === "j") go(1);
    else if (e.key === "k") go(-1);
    else if (e.key === "n") goQueue(1);
    else if (e.key === "p") goQueue(-1);
    else if (el && (e.key === "a" || e.key === "Enter")) { decide(el, "accept"); next(); }
    else if (el && e.key === "r") { decide(el, "reject"); next(); }
    else if (el && e.key === "u") { decide(el, null); showPanel(el); }
    else if (el && e.key >= "1" && e.key <= "3") choose(Number(e.key) - 1);
    else if (el && e.key === "e" && !panel.hidden) { e.preventDefault(); pEdit.focus(); pEdit.select(); }
    else return;
    e.preventDefault();
  });
  // Shareable views: #stage=dictionary&changed=1&low=0.5
  var h = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (h.get("stage") === "model") fDict.checked = false;
  if (h.get("stage") === "dictionary") fModel.checked = false;
  if (h.get("changed") === "1") fChanged.checked = true;
  if (h.get("low") !== null && !isNaN(parseFloat(h.get("low")))) fLow.value = h.get("low");
  load();
  apply();
  body.dataset.ready = "1";
})();
