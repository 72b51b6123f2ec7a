
(function () {
  "use strict";
  var all = Array.prototype.slice.call(document.querySelectorAll(".chg"));
  var cur = -1;
  var body = document.body;
  var pos = document.getElementById("pos");
  var fModel = document.getElementById("f-model");
  var fDict = document.getElementById("f-dictionary");
  var fChanged = document.getElementById("f-changed");
  var fLow = document.getElementById("f-low");

  function low() { var v = parseFloat(fLow.value); return isNaN(v) ? 0.6 : v; }
  function conf(el) { var v = parseFloat(el.dataset.conf); return isNaN(v) ? 0 : v; }
  function shown(el) {
    var s = el.dataset.stage;
    if (s === "model" && !fModel.checked) return false;
    if (s === "dictionary" && !fDict.checked) return false;
    return true;
  }
  function apply() {
    var n = 0, nl = 0, t = low();
    all.forEach(function (el) {
      var on = shown(el);
      el.classList.toggle("dim", !on);
      if (on) { n++; if (conf(el) < t) nl++; }
    });
    body.classList.toggle("only-changed", fChanged.checked);
    body.dataset.shown = String(n);
    body.dataset.lowShown = String(nl);
    report();
  }
  function report() {
    var reviewed = all.filter(function (el) { return el.classList.contains("reviewed"); }).length;
    var at = cur >= 0 ? (cur + 1) + " of " + all.length : all.length + " changes";
    pos.textContent = at + " · " + body.dataset.shown + " shown · " + body.dataset.lowShown +
      " low · " + reviewed + " reviewed";
  }
  function go(step, onlyLow) {
    if (!all.length) return;
    var t = low();
    for (var k = 1; k <= all.length; k++) {
      var i = ((cur + step * k) % all.length + all.length) % all.length;
      var el = all[i];
      if (!shown(el) || (onlyLow && conf(el) >= t)) continue;
      if (cur >= 0) all[cur].classList.remove("current");
      cur = i;
      el.classList.add("current");
      el.scrollIntoView({block: "center"});
      report();
      return;
    }
  }
  function hot(el, on) {
    el.classList.toggle("hot", on);
    var w = document.getElementById("w-" + el.id);
    if (w) w.classList.toggle("hot", on);
  }
  all.forEach(function (el, i) {
    el.addEventListener("mouseenter", function () { hot(el, true); });
    el.addEventListener("mouseleave", function () { hot(el, false); });
    el.addEventListener("click", function () {
      el.classList.toggle("reviewed");
      if (cur >= 0) all[cur].classList.remove("current");
      cur = i; el.classList.add("current"); report();
    });
  });
  [fModel, fDict, fChanged, fLow].forEach(function (el) { el.addEventListener("change", apply); });
  document.getElementById("b-next").addEventListener("click", function () { go(1, false); });
  document.getElementById("b-prev").addEventListener("click", function () { go(-1, false); });
  document.getElementById("b-nextlow").addEventListener("click", function () { go(1, true); });
  document.getElementById("b-prevlow").addEventListener("click", function () { go(-1, true); });
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT") return;
    if (e.key === "j") go(1, false);
    else if (e.key === "k") go(-1, false);
    else if (e.key === "n") go(1, true);
    else if (e.key === "p") go(-1, true);
    else if (e.key === "r" && cur >= 0) { all[cur].classList.toggle("reviewed"); report(); }
  });
  // Shareable views: #stage=dictionary&changed=1&low=0.5
  var h = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (h.get("stage") === "model") fDict.checked = false;
  if (h.get("stage") === "dictionary") fModel.checked = false;
  if (h.get("changed") === "1") fChanged.checked = true;
  if (h.get("low") !== null && !isNaN(parseFloat(h.get("low")))) fLow.value = h.get("low");
  apply();
  body.dataset.ready = "1";
})();
