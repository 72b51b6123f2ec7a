"""The HTML review page and the eval report: placement, counts, escaping (no browser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnocr.errors import OutputError
from vnocr.report import band, render_eval_html, render_html, write_html
from vnocr.result import Change, CorrectionResult


class Page(HTMLParser):
    """Collects change spans (text + attributes), struck input spans and script tags."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.changes: list[dict] = []
        self.was: list[str] = []
        self.scripts = 0
        self.srcs: list[str] = []
        self.cells: dict[str, list[str]] = {"src": [], "out": []}
        self._cell: str | None = None
        self._stack: list[dict | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href"):
            if a.get(k) and not a[k].startswith("#"):
                self.srcs.append(a[k])
        cls = (a.get("class") or "").split()
        if tag == "td" and a.get("class") in self.cells:
            self._cell = a["class"]
            self.cells[self._cell].append("")
        if tag == "span" and "chg" in cls:
            rec = {**a, "classes": cls, "text": ""}
            self.changes.append(rec)
            self._stack.append(rec)
        elif tag == "span" and "was" in cls and a.get("id"):  # not the legend
            rec = {"text": "", "was": True}
            self._stack.append(rec)
        elif tag == "span":
            self._stack.append(None)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        if tag == "span" and self._stack:
            rec = self._stack.pop()
            if rec is not None and rec.get("was"):
                self.was.append(rec["text"])

    def handle_data(self, data):
        if self._cell is not None:
            self.cells[self._cell][-1] += data
        for rec in self._stack:
            if rec is not None:
                rec["text"] += data


def _sample() -> CorrectionResult:
    inp = "Trong nhiem ky vua qua\nPang bo tinh d3 lam\nkhong doi"
    out = "Trong nhiệm kỳ vừa qua\nĐảng bộ tỉnh đã làm\nkhong doi"
    changes = (
        Change(0, 1, 6, 11, "nhiem", "nhiệm", 0.97, "model"),
        Change(0, 2, 12, 14, "ky", "kỳ", 0.7, "model"),
        Change(0, 3, 15, 18, "vua", "vừa", 0.4, "model"),
        Change(1, 0, 0, 7, "Pang bo", "Đảng bộ", 0.85, "dictionary", ntokens=2),
        Change(1, 2, 8, 12, "tinh", "tỉnh", 0.92, "dictionary", extra={"source": "admin-2025"}),
        Change(1, 3, 13, 15, "d3", "đã", 0.3, "model"),
        Change(1, 4, 16, 19, "lam", "làm", 0.95, "model"),
    )
    return CorrectionResult(out, inp, changes)


def test_every_change_is_highlighted_in_place():
    page = Page(render_html(_sample(), title="t"))
    assert [c["text"] for c in page.changes] == [
        "nhiệm",
        "kỳ",
        "vừa",
        "Đảng bộ",
        "tỉnh",
        "đã",
        "làm",
    ]
    assert page.was == ["nhiem", "ky", "vua", "Pang bo", "tinh", "d3", "lam"]
    by_text = {c["text"]: c for c in page.changes}
    assert {"high", "model"} <= set(by_text["nhiệm"]["classes"])
    assert {"mid", "model"} <= set(by_text["kỳ"]["classes"])
    assert {"low", "model"} <= set(by_text["vừa"]["classes"])
    assert {"mid", "dictionary"} <= set(by_text["Đảng bộ"]["classes"])
    assert by_text["đã"]["data-conf"] == "0.3"
    assert by_text["tỉnh"]["data-stage"] == "dictionary"
    assert by_text["tỉnh"]["title"].endswith("tinh → tỉnh · admin-2025")
    tip = by_text["đã"]["title"]
    assert "model" in tip and "0.30" in tip and "d3" in tip
    assert len({c["id"] for c in page.changes}) == 7


def test_a_cut_speck_is_shown_struck_through_and_the_text_kept():
    inp = "so với năm ngoái. l\n_ án phí"
    out = "so với năm ngoái.\nán phí"
    changes = (
        Change(0, 4, 17, 19, " l", "", 1.0, "model", extra={"rule": "speck"}),
        Change(1, 0, 0, 2, "_ ", "", 1.0, "model", extra={"rule": "speck"}),
    )
    page = Page(render_html(CorrectionResult(out, inp, changes), title="t"))
    assert [c["text"] for c in page.changes] == ["l", "_"]  # struck through, in place
    assert "<del>l</del>" in render_html(CorrectionResult(out, inp, changes), title="t")
    assert page.cells["out"][0].endswith("ngoái.l") and page.cells["out"][1] == "_án phí"


def test_summary_counts():
    html = render_html(_sample())
    assert '<b id="n-changes">7</b>' in html
    assert "model <b>5</b>" in html and "dictionary <b>2</b>" in html
    assert "in <b>2</b> of <b>3</b> lines" in html


def test_offsets_off_falls_back_to_token_index():
    # start/end point at the wrong place: the token index still finds the syllable.
    inp, out = "ve nha roi", "về nhà rồi"
    changes = (
        Change(0, 1, 0, 1, "nha", "nhà", 0.8, "model"),
        Change(0, 0, 40, 42, "ve", "về", 0.8, "model"),
    )
    page = Page(render_html(CorrectionResult(out, inp, changes)))
    assert sorted(c["text"] for c in page.changes) == ["nhà", "về"]
    assert sorted(page.was) == ["nha", "ve"]


def test_differences_without_a_change_are_flagged():
    # The output differs in three tokens; only one is recorded as a change.
    r = CorrectionResult(
        "về nhà rồi.", "ve nha roi.", (Change(0, 0, 0, 2, "ve", "về", 0.9, "model"),)
    )
    html = render_html(r)
    assert [c["text"] for c in Page(html).changes] == ["về"]
    assert html.split("<main>")[1].count('<span class="unrec"') == 2
    assert "nhà</span>" in html and "rồi.</span>" in html
    assert '<b id="n-unrec">2</b>' in html
    # A change on the core accounts for its token: the quote beside it is not flagged.
    r = CorrectionResult(
        "“Sơn La”, về",
        "“Son La”, ve",
        (Change(0, 0, 1, 7, "Son La", "Sơn La", 1.0, "dictionary", 2),),
    )
    main = render_html(r).split("<main>")[1]
    assert main.count('<span class="unrec"') == 1 and '"unrec" title' in main
    assert "về</span>" in main
    # Recorded everywhere: nothing flagged.
    assert 'class="unrec"' not in render_html(_sample()).split("<main>")[1]


def test_tokens_kept_with_low_confidence_are_marked():
    changes = (Change(0, 0, 0, 2, "ve", "về", 0.9, "model"),)
    r = CorrectionResult("về nhà, rồi", "ve nhà, rồi", changes, ((0.9, 0.2, 0.95),))
    main = render_html(r).split("<main>")[1]
    assert main.count('<span class="doubt unsure"') == 1
    assert 'data-conf="0.2" data-reason="unsure" data-after="nhà"' in main
    assert 'title="kept as read · unsure · confidence 0.20">nhà</span>,' in main
    assert len(Page(main).changes) == 1  # not counted as a change
    # Confidences that do not fit the tokens are ignored, not misapplied.
    r = CorrectionResult("về nhà rồi", "ve nhà rồi", changes, ((0.2,),))
    assert 'class="doubt unsure"' not in render_html(r).split("<main>")[1]


def test_unplaceable_change_is_still_listed():
    # A change that no route can place (line past the end, token past the end).
    r = CorrectionResult("a b", "a b", (Change(7, 9, 0, 0, "x", "y", 0.5, "model"),))
    page = Page(render_html(r))
    assert len(page.changes) == 1
    assert "unplaced" in page.changes[0]["classes"] and page.changes[0]["text"] == "y"


def test_several_results_become_sections_with_unique_ids():
    html = render_html([_sample(), _sample()], labels=["page 1", "page 2"])
    page = Page(html)
    assert len(page.changes) == 14 and len({c["id"] for c in page.changes}) == 14
    assert "page 2" in html and '<b id="n-changes">14</b>' in html
    assert '<li><a href="#doc2">page 2</a> — 7 changes' in html  # table of contents
    with pytest.raises(ValueError):
        render_html([_sample()], labels=["a", "b"])


def test_escapes_everything():
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    inp = f'ok {evil} "q"'
    out = f'ơk {evil} "q"'
    r = CorrectionResult(
        out,
        inp,
        (
            Change(0, 0, 0, 2, "ok", "ơk", 0.5, "model"),
            # a hostile stage name and before text end up in attributes
            Change(0, 99, 0, 0, '"><b>', "<i>", 0.5, 'x" onmouseover="alert(1)'),
        ),
    )
    html = render_html(r, title=evil, labels=None)
    page = Page(html)
    assert page.scripts == 1  # only our own script
    assert page.srcs == []  # no img src, no external asset
    assert "<img" not in html and "<b>" not in html.split("<main>")[1]
    assert "onmouseover" not in "".join(k for c in page.changes for k in c)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert [c["text"] for c in page.changes] == ["ơk", "<i>"]  # shown as text


def test_self_contained():
    html = render_html(_sample())
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html  # CSP: nothing may be fetched


def test_band_thresholds():
    assert band(0.9) == "high" and band(0.89) == "mid" and band(0.6) == "mid"
    assert band(0.59) == "low" and band(float("nan")) == "low"


def test_write_html_atomic_and_errors(tmp_path):
    p = tmp_path / "r.html"
    write_html(_sample(), p, title="Báo cáo")
    text = p.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<title>Báo cáo</title>" in text
    assert [x.name for x in tmp_path.iterdir()] == ["r.html"]  # no temp file left
    with pytest.raises(OutputError, match="cannot write report"):
        write_html(_sample(), tmp_path / "no" / "dir" / "r.html")


def test_eval_report_escapes_and_marks_kinds():
    report = {
        "pred": "p<x>",
        "gold": "g",
        "files": [
            {
                "name": "<b>a.txt",
                "pred": "p",
                "gold": "g",
                "cer": 0.1,
                "ser": 0.5,
                "ser_nocase": 0.5,
                "der": 0.25,
                "syllables": 4,
                "chars": 10,
                "alignment": [
                    {"gold": "tôi", "pred": "tôi", "kind": "ok"},
                    {"gold": "học", "pred": "<hoc>", "kind": "diacritic"},
                    {"gold": "đi", "pred": None, "kind": "delete"},
                    {"gold": None, "pred": "xa", "kind": "insert"},
                ],
            }
        ],
        "total": {
            "files": 1,
            "cer": 0.1,
            "ser": 0.5,
            "ser_nocase": 0.5,
            "der": None,
            "syllables": 4,
            "chars": 10,
        },
        "only_pred": [],
        "only_gold": ["<missing>"],
    }
    html = render_eval_html(report)
    assert "<b>a.txt" not in html and "&lt;b&gt;a.txt" in html
    assert "&lt;hoc&gt;<rt>học</rt>" in html
    assert 'class="e delete"' in html and 'class="e insert"' in html
    assert "n/a" in html and "50.00%" in html and "&lt;missing&gt;" in html
    assert "<script" not in html


def test_write_html_accepts_path_like_strings(tmp_path):
    write_html(_sample(), Path(tmp_path) / "x.html")
    assert (tmp_path / "x.html").stat().st_size > 1000


_word = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạếềểễệ", min_size=1, max_size=6)
_punct = st.sampled_from(["", ",", ".", ";", ")", "”"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_word, _punct, st.booleans(), _word), min_size=1, max_size=12),
    st.floats(0, 1),
)
def test_any_recorded_change_is_placed_and_text_kept(tokens, conf):
    """Whatever the words, both columns reproduce their lines and every change is placed."""
    inp, out, changes = [], [], []
    pos_in = 0
    for k, (word, punct, change, new) in enumerate(tokens):
        inp.append(word + punct)
        out.append((new if change else word) + punct)
        if change and new != word:
            changes.append(Change(0, k, pos_in, pos_in + len(word), word, new, conf, "model"))
        pos_in += len(word) + len(punct) + 1
    r = CorrectionResult(" ".join(out), " ".join(inp), tuple(changes))
    page = Page(render_html(r))
    assert page.cells == {"src": [r.input_text], "out": [r.text]}
    assert [c["text"] for c in page.changes] == [c.after for c in changes]
    assert not any("unplaced" in c["classes"] for c in page.changes)
    assert page.was == [c.before for c in changes]


def test_real_dictionary_pass_is_rendered_whole():
    """Changes as the pipeline's dictionary stage makes them (no model needed)."""
    from vnocr import LexiconOptions, Options, Pipeline, RestoreOptions

    opts = Options(restore=RestoreOptions(enabled=False), lexicon=LexiconOptions())
    text = "Phuong Chiéng Sinh, thanh phé Son La;\n(i) Tuyén dudng Qudc Viét - Nam La.\nkhong co gi"
    r = Pipeline(opts).correct_text(text)
    assert r.changes, "the dictionary pass found nothing to fix"
    page = Page(render_html(r))
    assert len(page.changes) == len(r.changes)
    assert not any("unplaced" in c["classes"] for c in page.changes)
    assert [c["text"] for c in page.changes] == [c.after for c in r.changes]
    assert page.cells["out"] == r.text.split("\n") and page.cells["src"] == text.split("\n")
    assert all("dictionary" in c["classes"] for c in page.changes)
