"""`vnocr batch --dict`: a user names list applied to every document of the batch."""

from __future__ import annotations

from pathlib import Path

from vnocr.cli import main
from vnocr.errors import ExitCode

TEXT = "Tai xa Pac Ngam Xo, huyen Muong Te\n"
NAME = "Pắc Ngâm Xò"


def test_a_listed_name_is_applied_in_every_document(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no default list
    src, out, plain = tmp_path / "in", tmp_path / "out", tmp_path / "plain"
    for rel in ("a.txt", "sub/b.txt"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(TEXT, encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_text(f"# names confirmed on the review page\n{NAME}\n", encoding="utf-8")
    assert main(["batch", str(src), str(plain), "--no-progress"]) == 0
    assert NAME not in (plain / "a.txt").read_text(encoding="utf-8")
    assert main(["batch", str(src), str(out), "--no-progress", "--dict", str(names)]) == 0
    for rel in ("a.txt", "sub/b.txt"):
        assert NAME in (out / rel).read_text(encoding="utf-8")


def test_a_bad_list_fails_before_the_batch(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    missing = tmp_path / "none.txt"
    assert main(["batch", str(src), str(tmp_path / "o"), "--no-progress",
                 "--dict", str(missing)]) == ExitCode.BAD_INPUT
    assert not (tmp_path / "o").exists()
    assert main(["batch", str(src), str(tmp_path / "o"), "--no-progress", "--no-correct",
                 "--dict", str(src / "a.txt")]) == ExitCode.BAD_OPTIONS
