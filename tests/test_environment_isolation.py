"""The suite runs isolated from the developer's own set-up (tests/conftest.py): their
name list, model setting and locale cannot change what a test sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vnocr.lexicon.sources import default_user_dict
from vnocr.options import DEFAULT_MODEL_DIR, default_model_dir


def test_no_user_name_list_model_or_locale_reaches_the_tests(isolated_user_environment):
    home = isolated_user_environment
    assert Path.home() == home
    assert default_user_dict() == home / ".config" / "vnocr" / "names.txt"
    assert not default_user_dict().exists()
    assert default_model_dir() == DEFAULT_MODEL_DIR
    assert os.environ["LC_ALL"] == "C.UTF-8"


def test_subprocesses_inherit_the_isolation(isolated_user_environment):
    code = ("from vnocr.lexicon.sources import default_user_dict; "
            "from vnocr.options import default_model_dir; "
            "print(default_user_dict()); print(default_model_dir())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == str(isolated_user_environment / ".config" / "vnocr" / "names.txt")
    assert out[1] == str(DEFAULT_MODEL_DIR)
