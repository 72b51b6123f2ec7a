"""Legacy-encoding detection and conversion, measured on a corpus built here.

Positives: dev-split corpus paragraphs (one paragraph, one run, one document) in each
legacy encoding, as the file's bytes and as the Windows-1252 mojibake other tools show,
plus VIQR, plus mixed documents (a legacy heading line over a Unicode paragraph). Curly
quotes and dashes become ASCII first, since VISCII and VPS have no byte for them, and
paragraphs with a letter some legacy encoding lacks (ü, ā, CJK) are left out.
Negatives, which must come back unchanged and with no run converted: the paragraphs in
NFC and NFD, the OCR lines of the committed dev sets, French/German/Spanish translations
and their English originals from the system's gettext catalogs, and Python source lines.

Usage: python scripts/bench_encodings.py [--per-source 200] [--out section.md]
"""

from __future__ import annotations

import argparse
import gettext
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from vnocr.data.corpus import SOURCES, corpus_dir, iter_paragraphs, split_of
from vnocr.data.devsets import DEV_SETS, load_devset
from vnocr.encodings import BYTE_ENCODINGS, Decoded, decode_document, encode_legacy, encode_run
from vnocr.errors import InputError
from vnocr.evaluate import char_errors

_ASCII_PUNCT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
                              "…": "...", "\u00a0": " "})
_MO_LANGS = ("fr", "de", "es")
_MO_DIR = Path("/usr/share/locale")


def dev_paragraphs(per_source: int) -> list[str]:
    out = []
    for source in SOURCES:
        if not (corpus_dir() / f"{source}.txt.gz").is_file():
            continue
        n = 0
        for para in iter_paragraphs(source):
            para = para.translate(_ASCII_PUNCT)
            if split_of(para) == "dev" and _encodable(para):
                out.append(para)
                n += 1
                if n >= per_source:
                    break
    return out


def _encodable(para: str) -> bool:
    """Every legacy encoding holds the paragraph (no ü, no ā, no CJK)."""
    try:
        for encoding in BYTE_ENCODINGS:
            encode_legacy(para, encoding)
    except ValueError:
        return False
    return True


def gettext_lines(limit: int) -> dict[str, list[str]]:
    """Translated messages per language, and their English msgids, from the .mo files."""
    lines: dict[str, list[str]] = {lang: [] for lang in (*_MO_LANGS, "en")}
    for lang in _MO_LANGS:
        for mo in sorted((_MO_DIR / lang / "LC_MESSAGES").glob("*.mo")):
            with mo.open("rb") as f:
                try:
                    catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
                except (OSError, UnicodeDecodeError):  # a catalog in a legacy charset
                    continue
            for msgid, msgstr in catalog.items():
                if isinstance(msgid, str) and msgid and isinstance(msgstr, str):
                    lines[lang] += [s for s in msgstr.split("\n") if s.strip()]
                    if lang == "fr":
                        lines["en"] += [s for s in msgid.split("\n") if s.strip()]
    return {lang: ls[:limit] for lang, ls in lines.items()}


def code_lines(limit: int) -> list[str]:
    root = Path(argparse.__file__).parent
    out: list[str] = []
    for path in sorted(root.glob("*.py")):
        out += [s for s in path.read_text(encoding="utf-8").split("\n") if s.strip()]
        if len(out) >= limit:
            break
    return out[:limit]


def measure_positive(paragraphs: list[str], encoding: str, form: str) -> dict[str, float]:
    detected = errors = chars = 0
    for para in paragraphs:
        data = (encode_legacy(para, encoding) if form == "bytes"
                else encode_run(para, encoding).encode("utf-8"))
        try:
            decoded = decode_document(data)
        except InputError:
            decoded = Decoded("")
        found = {r.encoding for r in decoded.runs}
        if found == {encoding} or (not found or found != {encoding}) and decoded.text == para:
            detected += 1
        e, n = char_errors(decoded.text, para)
        errors, chars = errors + e, chars + n
    return {"runs": len(paragraphs), "detected": detected / max(len(paragraphs), 1),
            "cer": errors / max(chars, 1)}


def measure_mixed(paragraphs: list[str], encoding: str) -> dict[str, float]:
    """A legacy mojibake heading line above a Unicode paragraph, in one document."""
    ok = errors = chars = 0
    pairs = list(zip(paragraphs[::2], paragraphs[1::2]))
    for heading, body in pairs:
        heading = heading[:80].rsplit(" ", 1)[0]
        truth = f"{heading}\n{body}"
        decoded = decode_document(f"{encode_run(heading, encoding)}\n{body}".encode())
        ok += ([r.line for r in decoded.runs] == [1] and decoded.runs[0].encoding == encoding
               or not decoded.runs and decoded.text == truth)  # a heading with no marks
        e, n = char_errors(decoded.text, truth)
        errors, chars = errors + e, chars + n
    return {"runs": len(pairs), "detected": ok / max(len(pairs), 1),
            "cer": errors / max(chars, 1)}


def false_conversions(lines: list[str]) -> tuple[int, int]:
    """(lines changed or reported converted, lines). What every UTF-8 file gets is no
    conversion: NFC, a leading byte order mark dropped, `\r` line ends made `\n`
    (a few gettext messages carry them)."""
    bad = 0
    for line in lines:
        decoded = decode_document(line.encode("utf-8"))
        expected = line.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        bad += bool(decoded.runs) or decoded.text != unicodedata.normalize("NFC", expected)
    return bad, len(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-source", type=int, default=200, help="dev paragraphs per corpus source")
    ap.add_argument("--negatives", type=int, default=2000, help="lines per negative class")
    ap.add_argument("--out", type=Path, help="write the markdown section here")
    args = ap.parse_args()
    start = time.time()
    paragraphs = dev_paragraphs(args.per_source)
    rows = []
    for encoding in BYTE_ENCODINGS:
        for form in ("bytes", "text"):
            rows.append((encoding, form, measure_positive(paragraphs, encoding, form)))
    rows.append(("viqr", "text", measure_positive(paragraphs, "viqr", "text")))
    for encoding in ("tcvn3", "vni"):
        rows.append((encoding, "mixed", measure_mixed(paragraphs, encoding)))

    negatives: list[tuple[str, list[str]]] = [
        ("Vietnamese NFC", paragraphs),
        ("Vietnamese NFD", [unicodedata.normalize("NFD", p) for p in paragraphs]),
    ]
    ocr = Counter()
    for name in DEV_SETS:
        lines = [row.noisy for row in load_devset(name, strict=False)][: args.negatives]
        negatives.append((f"OCR output ({name})", lines))
        ocr[name] = len(lines)
    for lang, lines in gettext_lines(args.negatives).items():
        negatives.append((f"{lang} (gettext)", lines))
    negatives.append(("Python source", code_lines(args.negatives)))
    neg_rows = [(name, *false_conversions(lines)) for name, lines in negatives]

    out = ["## Legacy encodings (TCVN3, VNI, VISCII, VPS, Windows-1258, VIQR)", "",
           (f"`python scripts/bench_encodings.py --per-source {args.per_source} "
            f"--negatives {args.negatives}` on {time.strftime('%Y-%m-%d')}: "
           f"{len(paragraphs)} dev-split corpus paragraphs, each its own document and run. "
           "`bytes`: the file in the legacy encoding; `text`: the same read as Windows-1252 "
           "and saved as UTF-8 (PDF text layers, .doc exports); `mixed`: a legacy heading line "
           "above a Unicode paragraph. A run counts as detected when the reported encoding is "
           "right, or when the output already equals the original (a reading shared by two "
           "encodings, or no marks). CER: grapheme errors of the output against the original."),
           "", "| encoding | form | runs | detected | CER |", "|---|---|---|---|---|"]
    for encoding, form, m in rows:
        out.append(f"| {encoding} | {form} | {m['runs']} | {m['detected']:.2%} | {m['cer']:.3%} |")
    out += ["", "False conversions (a line changed or reported converted) on negatives:", "",
            "| negative set | lines | false conversions |", "|---|---|---|"]
    out += [f"| {name} | {n} | {bad} |" for name, bad, n in neg_rows]
    out += ["", f"{time.time() - start:.0f} s on this machine.", ""]
    text = "\n".join(out)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
