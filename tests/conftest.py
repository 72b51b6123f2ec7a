"""Every test runs as if on a fresh machine, whatever the developer's own set-up.

A Pipeline reads `$XDG_CONFIG_HOME/vnocr/names.txt` (else `~/.config/vnocr/names.txt`)
and `$VNOCR_MODEL`: a developer's own name list or model would change what the tests
see. The locale is pinned too, so subprocesses (the CLI tests) decode and print UTF-8
alike everywhere. The environment is set once for the session, so subprocesses inherit
it and hypothesis tests see no function-scoped fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# A user's set-up that would change results or messages if it leaked into a test.
USER_ENV = ("VNOCR_MODEL", "VNOCR_BACKEND", "XDG_CONFIG_HOME", "LANGUAGE", "LC_MESSAGES", "LC_CTYPE")


@pytest.fixture(scope="session", autouse=True)
def isolated_user_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty home and config folder, no user model, a UTF-8 C locale."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        for var in USER_ENV:
            mp.delenv(var, raising=False)
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        mp.setenv("LC_ALL", "C.UTF-8")
        mp.setenv("LANG", "C.UTF-8")
        yield home
