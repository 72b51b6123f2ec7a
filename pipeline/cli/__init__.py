"""The `vnocr` command. Thin: parse arguments, build Options, run, map errors to exit codes.

Each subcommand lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vnocr.errors import ExitCode, VnocrError

app = typer.Typer(
    name="vnocr",
    help="Vietnamese OCR and diacritic restoration.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# `--model DIR` of every command that restores; None: `options.default_model_dir()`.
ModelDirOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        show_default=False,
        help="Restoration model folder (default: $VNOCR_MODEL, else the shipped model).",
    ),
]


def _version(value: bool) -> None:
    if value:
        from vnocr import __version__

        print(f"vnocr {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Vietnamese OCR and diacritic restoration.

    Exit codes: 0 ok; 1 a batch finished with failures; 2 bad options; 3 bad input;
    4 broken environment (Tesseract or its data missing); 5 Tesseract failed;
    6 model could not be loaded; 130 interrupted.
    """


def _register() -> None:
    from vnocr.cli import batch, correct, evaluate, ocr  # noqa: F401  (registration)


def error(message: str) -> None:
    """One line on stderr, the only way the CLI reports a failure."""
    print(f"vnocr: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script exits with it).

    Typer's standalone mode handles usage errors (exit 2) and Ctrl-C; our own errors
    become one line on stderr and their exit code.
    """
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except VnocrError as e:
        error(str(e))
        return int(e.exit_code)
    except KeyboardInterrupt:
        error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    return int(ExitCode.OK)
