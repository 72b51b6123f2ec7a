"""The append-only manifest that makes `--resume` safe, and the sweep of temp files.

A finished input is recorded only after all its outputs have been renamed into place,
so a run killed at any instant leaves either complete outputs plus a record, complete
outputs without a record (redone on resume, same bytes), or nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from vnocr.files import TMP_MARK, write_atomic

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """The file's SHA-256, read `chunk` bytes at a time (a scan may be large): what
    `--resume` compares to tell a changed input from one already done."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def sweep_temp_files(out_dir: Path) -> int:
    """Remove temp files a killed run left behind; returns how many."""
    n = 0
    for dirpath, _dirs, files in os.walk(out_dir):
        for name in files:
            if name.startswith(TMP_MARK):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(dirpath, name))
                    n += 1
    if n:
        log.info("removed %d temp files left by an interrupted run", n)
    return n


@dataclass(frozen=True, slots=True)
class Record:
    """One finished input: enough to tell, on resume, whether it must be redone."""

    path: str  # relative to IN_DIR
    size: int
    sha256: str
    outputs: tuple[str, ...]  # relative to OUT_DIR
    options: str  # fingerprint of the options that produced the outputs
    pages: int = 1

    def as_json(self) -> str:
        d = asdict(self)
        d["outputs"] = list(self.outputs)
        d["v"] = MANIFEST_VERSION
        return json.dumps(d, ensure_ascii=False, sort_keys=True)


class Manifest:
    """Append-only JSON-lines file in OUT_DIR; the last record for a path wins."""

    def __init__(self, path: Path, *, sync: bool = True) -> None:
        self.path = path
        self.sync = sync
        self.records: dict[str, Record] = {}
        self._fh = None

    def load(self) -> dict[str, Record]:
        """Read what a previous run finished; a torn last line (SIGKILL) is ignored."""
        self.records = {}
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self.records
        for n, line in enumerate(raw.split(b"\n"), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                rec = Record(
                    path=d["path"],
                    size=int(d["size"]),
                    sha256=d["sha256"],
                    outputs=tuple(d["outputs"]),
                    options=d["options"],
                    pages=int(d.get("pages", 1)),
                )
            except (ValueError, KeyError, TypeError):
                log.warning("%s: line %d is damaged; ignoring it", self.path, n)
                continue
            if d.get("removed"):
                self.records.pop(rec.path, None)
            else:
                self.records[rec.path] = rec
        return self.records

    def start(self, *, fresh: bool) -> None:
        """Open for appending; `fresh` rewrites it with only the records still valid."""
        if fresh:
            write_atomic(self.path, b"", sync=self.sync)
            self.records = {}
        else:
            # Compact: drop torn lines so appends start on a clean line.
            body = "".join(r.as_json() + "\n" for r in self.records.values())
            write_atomic(self.path, body.encode(), sync=self.sync)
        self._fh = open(self.path, "ab")  # noqa: SIM115 - held open across appends

    def add(self, rec: Record) -> None:
        self._append(rec.as_json())
        self.records[rec.path] = rec

    def remove(self, rel: str) -> None:
        """Forget an input whose old outputs were deleted (it changed and now fails)."""
        rec = self.records.pop(rel, None)
        if rec is not None:
            d = json.loads(rec.as_json())
            d["removed"] = True
            self._append(json.dumps(d, ensure_ascii=False, sort_keys=True))

    def _append(self, line: str) -> None:
        assert self._fh is not None, "Manifest.start() first"
        self._fh.write(line.encode() + b"\n")
        self._fh.flush()
        if self.sync:
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
