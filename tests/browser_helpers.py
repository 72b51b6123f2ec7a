"""Drive a real headless Chromium over the DevTools protocol, with nothing but stdlib.

`--remote-debugging-pipe` makes Chromium read commands on fd 3 and answer on fd 4 (one
NUL-terminated JSON message each), so no WebDriver, websocket library or free port is
needed: Debian's `chromium` alone runs these tests.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Self

CHROMIUM = shutil.which("chromium")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Chromium:
    """One browser with one tab; `evaluate` runs JavaScript there and returns its value."""

    def __init__(self, profile: Path, *, width: int = 1200, height: int = 900) -> None:
        assert CHROMIUM is not None
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the protocol's fixed descriptors
            # moved above 4 first, since either pipe end may itself be fd 3 or 4
            r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            preexec_fn=wire, close_fds=False,  # noqa: PLW1509 (tests start no threads)
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                  height=height, deviceScaleFactor=1, mobile=False)

    def _read(self, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            if time.monotonic() > end or self.proc.poll() is not None:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method: str, *, session: bool = False, timeout: float = 30, **params) -> dict:
        """Send one command and wait for its answer (events on the way are kept)."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def evaluate(self, expression: str) -> Any:
        r = self.call("Runtime.evaluate", session=True, expression=expression,
                      returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(f"never true: {expression}")

    def open(self, url: str) -> None:
        """Load `url` and wait until the page's script has run."""
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("document.readyState === 'complete' && document.body.dataset.ready === '1'")

    def reload(self) -> None:
        self.evaluate("document.body.dataset.ready = ''")
        self.call("Page.reload", session=True)
        self.wait_for("document.readyState === 'complete' && document.body.dataset.ready === '1'")

    def press(self, key: str) -> None:
        """One key as a person types it (keydown with its text, then keyup)."""
        text = key if len(key) == 1 else ("\r" if key == "Enter" else "")
        self.call("Input.dispatchKeyEvent", session=True, type="keyDown", key=key, text=text)
        self.call("Input.dispatchKeyEvent", session=True, type="keyUp", key=key)

    def type(self, text: str) -> None:
        self.call("Input.insertText", session=True, text=text)

    def downloads_to(self, folder: Path) -> None:
        self.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(folder))

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, EOFError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wait_for_file(path: Path, timeout: float = 20) -> bytes:
    """A downloaded file, once Chromium has finished writing it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.is_file() and not path.with_name(path.name + ".crdownload").exists():
            data = path.read_bytes()
            if data:
                return data
        time.sleep(0.05)
    raise TimeoutError(f"no download {path.name}")
