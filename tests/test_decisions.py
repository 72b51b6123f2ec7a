"""Decisions files: parsing, replay on the reviewed output, refusals, learned names."""

from __future__ import annotations

import json

import pytest

from vnocr.decisions import apply_decisions, decisions_for, learned_names, parse_decisions
from vnocr.errors import InputError
from vnocr.lexicon.sources import add_user_names, read_user_dict
from vnocr.result import CorrectionResult
from vnocr.review_rows import build_rows, doubt_of, text_sha256

RESULT = CorrectionResult("Trong nhiệm kỳ vừa qua\nĐảng bộ tỉnh đã làm", "Trong nhiem ky vua qua\nPang bo tinh d3 lam")


def _file(decisions, result=RESULT):
    return json.dumps({"format": "vnocr-review-decisions", "version": 1, "documents": [{
        "label": "a.txt", "input_sha256": text_sha256(result.input_text),
        "output_sha256": text_sha256(result.text), "decisions": decisions}]})


def _d(line, start, end, after, decision, text, name=False):
    return {"line": line, "start": start, "end": end, "after": after, "decision": decision,
            "text": text, "name": name}


def test_apply_replaces_each_decided_span_right_to_left():
    docs = parse_decisions(_file([
        _d(0, 6, 11, "nhiệm", "accept", "nhiệm"),
        _d(0, 12, 14, "kỳ", "reject", "ky"),
        _d(0, 15, 18, "vừa", "choose", "vừa mới"),
        _d(1, 0, 7, "Đảng bộ", "edit", "Nậm Pồ", name=True),
    ]))
    doc = decisions_for(RESULT, docs)
    assert apply_decisions(RESULT, doc) == "Trong nhiệm ky vừa mới qua\nNậm Pồ tỉnh đã làm"
    assert learned_names(docs) == ["Nậm Pồ"]


def test_refused_on_other_text_or_misplaced_decisions():
    docs = parse_decisions(_file([_d(0, 6, 11, "nhiễm", "edit", "x")]))
    with pytest.raises(InputError, match="not there"):
        apply_decisions(RESULT, decisions_for(RESULT, docs))
    other = CorrectionResult("khác", "khac")
    with pytest.raises(InputError, match="no review of this input"):
        decisions_for(other, docs)
    changed = CorrectionResult("Trong nhiễm kỳ vừa qua\nĐảng bộ tỉnh đã làm", RESULT.input_text)
    with pytest.raises(InputError, match="differs from the one reviewed"):
        decisions_for(changed, docs)


@pytest.mark.parametrize("text", [
    "not json", json.dumps({"format": "other"}),
    _file([_d(0, 1, 2, "x", "maybe", "y")]), _file([_d(0, 1, 2, "x", "edit", "a\nb")]),
    _file([{"line": 0}]),
])
def test_malformed_files_are_input_errors(text):
    with pytest.raises(InputError):
        parse_decisions(text)


def test_add_user_names_appends_only_new_names(tmp_path):
    path = tmp_path / "cfg" / "names.txt"
    assert add_user_names(path, ["Nậm Pồ", "Hoà Bình"]) == ["Nậm Pồ", "Hoà Bình"]
    assert add_user_names(path, ["Nậm  Pồ", "Hòa Bình", "Mường Nhé"]) == ["Mường Nhé"]
    assert [n.text for n in read_user_dict(path)] == ["Nậm Pồ", "Hòa Bình", "Mường Nhé"]


@pytest.mark.parametrize("token, reason", [
    (("gỡ", "&", ""), "debris"), (("dé)ng", "", ""), "debris"),
    (("Longnudiduéng", "", ""), "not a syllable"), (("d3", "", ""), "not a syllable"),
    (("UBND", "", ""), ""), (("nhà", "", ""), ""), (("353-KL/TU", "", ""), ""),
    (("2025", "", ""), ""),
])
def test_doubtful_kept_tokens(token, reason):
    assert doubt_of(*token) == reason


def test_rows_flag_doubtful_kept_words_and_give_output_offsets():
    r = CorrectionResult("về nhà gỡ& xyzq", "ve nhà gỡ& xyzq")
    (row,) = build_rows(r)
    doubts = [(pos, s.text, s.doubt) for pos, s in row.placed() if s.doubt]
    assert doubts == [(7, "gỡ", "debris"), (11, "xyzq", "not a syllable")]


def test_cli_refuses_options_that_do_not_fit(tmp_path, capsys):
    from vnocr.cli import main

    src = tmp_path / "a.txt"
    src.write_text("khong\n", encoding="utf-8")
    assert main(["correct", str(src), "--learn-names", str(tmp_path / "n.txt")]) == 2
    (tmp_path / "d.json").write_text(_file([]), encoding="utf-8")
    assert main(["correct", str(src), "--decisions", str(tmp_path / "d.json"), "-f", "json"]) == 2
    assert "--format text" in capsys.readouterr().err


def test_alternatives_offer_the_models_reading_then_same_letters():
    from vnocr.alternatives import alternatives
    from vnocr.result import Change

    c = Change(0, 0, 0, 6, "Son La", "Sơn La", 0.9, "dictionary", 2, {"restored": "Sơn Là"})
    assert alternatives(c, "Sơn La") == [("Sơn Là", None, "restored")]
    alts = alternatives(Change(0, 0, 0, 4, "Pang", "Đảng", 0.9, "model"), "Đảng")
    assert len(alts) == 3 and alts[0][0] == "Đang" and all(0 < s <= 1 for _, s, _ in alts)
    assert "Pang" not in [a[0] for a in alts] and "Đảng" not in [a[0] for a in alts]
    assert {kind for *_, kind in alts} == {"frequency"}


def test_alternatives_of_a_model_change_are_the_restorers_runners_up():
    """The search's next-best candidates for the slot, with their posteriors, carried in
    the change record (and so in the JSON output), then same-letter syllables."""
    from vnocr import Pipeline
    from vnocr.alternatives import alternatives

    result = Pipeline().correct_text("Trong nhiem ky vua qua")
    change = next(c for c in result.changes if c.after == "nhiệm")
    runners_up = change.as_dict()["alternatives"]
    assert runners_up[0][0] == "nhiễm" and 0 < runners_up[0][1] < 1 - change.confidence + 1e-3
    assert [s for _, s in runners_up] == sorted((s for _, s in runners_up), reverse=True)
    alts = alternatives(change, change.after)
    assert alts[0] == ("nhiễm", runners_up[0][1], "model") and len(alts) == 3


def test_plain_text_correction_records_no_runners_up_and_writes_the_same_text():
    """`RestoreOptions(alternatives=False)` (what `vnocr correct` to plain text uses)
    skips the next-best readings and nothing else."""
    from vnocr import Pipeline
    from vnocr.options import Options, RestoreOptions

    text = "Trong nhiem ky vua qua, Dang bo tinh da lanh dao\nca nha an com"
    full = Pipeline().correct_text(text)
    bare = Pipeline(Options(restore=RestoreOptions(alternatives=False))).correct_text(text)
    assert any("alternatives" in c.as_dict() for c in full.changes)
    assert bare.text == full.text
    assert [(c.start, c.after) for c in bare.changes] == [
        (c.start, c.after) for c in full.changes]
    assert not any("alternatives" in c.as_dict() for c in bare.changes) and not bare.kept_alternatives


def test_a_doubtful_kept_word_offers_the_restorers_runners_up_on_the_page():
    """`di` (for đi) kept as read on a page whose OCR doubted it: the page's data offer
    the search's next-best readings with their posteriors (kind "model"), the same as
    the JSON output's `kept_alternatives`, not same-letter syllables."""
    import html
    import re

    from vnocr import Pipeline
    from vnocr.report import render_html

    text = "Ông ta di về nhà sau khi họp xong"
    result = Pipeline().correct_lines([text], [[0.5] * len(text.split())])
    assert result.text == text  # nothing changed
    kept = next(k for k in result.kept_alternatives if k.word == "di")
    assert (kept.line, kept.token, kept.start, kept.end) == (0, 2, 7, 9)
    assert "đi" in [w for w, _ in kept.alternatives]
    assert result.as_dict()["kept_alternatives"][2]["alternatives"] == [
        list(a) for a in kept.alternatives]
    span = re.search(r'<span class="doubt[^>]*data-key="0:7:9"[^>]*>', render_html(result))
    assert span is not None
    alts = json.loads(html.unescape(re.search(r"data-alts='([^']*)'", span.group(0))[1]))
    assert alts == [[w, s, "model"] for w, s in kept.alternatives][:3]


def test_a_learned_name_is_used_by_the_next_run(tmp_path, monkeypatch):
    """What teaching the dictionary is for: a name added from a review is found next time."""
    from vnocr import LexiconOptions, Options, Pipeline, RestoreOptions

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    names = tmp_path / "names.txt"
    text = "Tai xa Pac Ngam Xo, huyen"
    dict_only = RestoreOptions(enabled=False)
    assert "Pắc Ngâm Xò" not in Pipeline(Options(restore=dict_only)).correct_text(text).text
    add_user_names(names, learned_names(parse_decisions(_file([
        _d(1, 0, 7, "Đảng bộ", "edit", "Pắc Ngâm Xò", name=True)]))))
    taught = Options(restore=dict_only, lexicon=LexiconOptions(user_dicts=(names,)))
    assert Pipeline(taught).correct_text(text).text == "Tai xa Pắc Ngâm Xò, huyen"


def test_a_kept_word_the_ocr_doubted_is_flagged_and_concat_keeps_the_confidences():
    """`di` for đi is a real syllable the restorer may keep: only the OCR's doubt shows it."""
    from vnocr.review_rows import OCR_DOUBT

    r = CorrectionResult("Tôi di học", "Tôi di học", ocr_confidences=((0.95, OCR_DOUBT / 2, 0.9),))
    (row,) = build_rows(r)
    assert [(s.text, s.doubt) for s in row.after if s.doubt] == [("di", "ocr unsure")]
    typed = CorrectionResult("Tôi di học", "Tôi di học")
    assert not any(s.doubt for s in build_rows(typed)[0].after)
    joined = CorrectionResult.concat([typed, r])
    assert joined.ocr_confidences == (None, r.ocr_confidences[0])
    (_, row) = build_rows(joined)
    assert [s.text for s in row.after if s.doubt] == ["di"]
