"""The `vnocr` command. Thin: parse arguments, build Options, run, map errors to exit codes.

Each subcommand lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

import sys
import warnings
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
    # paragraphs of a command's docstring flow to the terminal's width (rich mode kept
    # the source's line ends, leaving one or two words on a line of their own)
    rich_markup_mode="markdown",
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

# `--dict FILE` of every command with a dictionary pass (`LexiconOptions.user_dicts`).
DictsOption = Annotated[
    list[Path] | None,
    typer.Option("--dict", show_default=False,
                 help="Extra names for the dictionary pass: one per line, or name<TAB>weight "
                 "(e.g. the names.txt a review page exports). Repeatable. "
                 "$XDG_CONFIG_HOME/vnocr/names.txt (~/.config/vnocr/names.txt) is read too "
                 "when it exists."),
]

# The review page (`vnocr.report`) and the replay of its decisions (`vnocr.decisions`).
HtmlPageOption = Annotated[
    str | None,
    typer.Option("--html", show_default=False,
                 help="Also write a self-contained HTML review page of every change, where "
                 "each can be accepted, rejected or replaced, and the decisions exported."),
]
DecisionsOption = Annotated[
    Path | None,
    typer.Option("--decisions", show_default=False,
                 help="Apply a decisions file exported from a review page of these inputs: "
                 "the output is the reviewed text (refused if an input or its correction "
                 "is not the one reviewed)."),
]

# How Tesseract reads a scan (`TesseractOptions.lang`, `.psm`), for `ocr` and `batch`.
LangOption = Annotated[
    str,
    typer.Option("--lang", "-l", help="Tesseract language(s), e.g. vie, vie+eng, or "
                 "vie+Vietnamese (fewer errors on print, 1.3x the time)."),
]
PsmOption = Annotated[int, typer.Option("--psm", help="Tesseract page segmentation mode (0-13).")]

# What to do with PDF pages that have their own text (`OcrOptions.text_layer`).
ForceOcrOption = Annotated[
    bool,
    typer.Option("--force-ocr", help="OCR every page, even PDF pages that have their own text."),
]
SkipTextOption = Annotated[
    bool,
    typer.Option("--skip-text", help="Leave PDF pages that have their own text as they are "
                 "(not corrected; in PDF output copied unchanged)."),
]


def text_layer_mode(force_ocr: bool, skip_text: bool) -> str:
    """`OcrOptions.text_layer` from the two flags: by default such a page's own text is
    read and corrected like any text."""
    from vnocr.errors import BadOptionsError

    if force_ocr and skip_text:
        raise BadOptionsError("--force-ocr and --skip-text exclude each other")
    return "ocr" if force_ocr else "skip" if skip_text else "read"


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
    from vnocr.allocator import give_large_blocks_back

    give_large_blocks_back()  # flat memory on long inputs (see vnocr.allocator)


def _register() -> None:
    from vnocr.cli import batch, correct, evaluate, ocr  # noqa: F401  (registration)


def error(message: str) -> None:
    """One line on stderr, the only way the CLI reports a failure."""
    print(f"vnocr: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script exits with it).

    Click runs outside its standalone mode, so that every failure, usage errors included,
    is one `vnocr: error: ...` line on stderr and its exit code (no framed box, no
    traceback); library warnings (Pillow's decompression-bomb note) are not printed.
    """
    _register()
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        error("no command given (try 'vnocr --help')")
        return int(ExitCode.BAD_OPTIONS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = app(args=args, prog_name="vnocr", standalone_mode=False)
    except typer.Exit as e:
        return e.exit_code
    except typer.TyperException as e:  # usage errors: unknown option, bad value (exit 2)
        error(_usage_message(e))
        return int(getattr(e, "exit_code", ExitCode.BAD_OPTIONS))
    except VnocrError as e:
        error(_one_line(str(e)))
        return int(e.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    return code if isinstance(code, int) else int(ExitCode.OK)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _usage_message(e: typer.TyperException) -> str:
    """Typer's usage error as one line, with the help command of the subcommand."""
    ctx = getattr(e, "ctx", None)
    command = ctx.command_path.partition(" ")[2] if ctx is not None else ""
    help_hint = f"vnocr {command} --help" if command else "vnocr --help"
    text = e.format_message() if hasattr(e, "format_message") else str(e)
    return f"{_one_line(text)} (try '{help_hint}')"
