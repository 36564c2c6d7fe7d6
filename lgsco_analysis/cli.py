"""The ``lgsco`` command: each sub-command calls one package function.

Errors become one line on stderr and exit status 2; a completed run exits 0, or 1 when
``--strict`` finds a letter that is not ok or when a report failed.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import re
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import paths
from .errors import LgscoError
from .logs import printable, start_logging
from .provenance import package_version
from .read.ocr import OCR_SECONDS_PER_PAGE
from .rules.vocabulary import STATUSES, Status
from .workers import LETTER_BUDGET, REPORT_RUN_MINUTES

log = logging.getLogger(__name__)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _add_parse_arguments(parser: argparse.ArgumentParser, out_flag: str) -> None:
    parser.add_argument("raw_dir", nargs="?", type=Path, default=paths.RAW_DIR, help="folder of letter PDFs")
    parser.add_argument(
        out_flag, dest="processed", type=Path, default=paths.PROCESSED_DIR, help="folder for the Parquet files"
    )
    parser.add_argument("--workers", type=_positive, default=os.cpu_count() or 1, help="parsing processes")
    parser.add_argument(
        "--no-cache", action="store_true", help="parse every letter again (and replace its cache entry)"
    )
    parser.add_argument(
        "--no-ocr",
        action="store_true",
        help=(
            "do not read pages by OCR: a letter with no usable text layer (scanned, text drawn as outlines, "
            "fonts with no character map, another program's OCR layer) is then an error, or read from that "
            f"layer. OCR (Tesseract) costs about {OCR_SECONDS_PER_PAGE:g} s a page on a 2-core machine, and "
            "runs only on pages that need it"
        ),
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when any letter is not ok")
    parser.add_argument(
        "--max-seconds", type=_positive, default=LETTER_BUDGET.seconds, help="give up on a letter after this long"
    )
    parser.add_argument(
        "--max-memory",
        type=_positive,
        default=LETTER_BUDGET.memory_mb,
        help="give up on a letter needing more MB than this",
    )


def run_parse(args: argparse.Namespace) -> int:
    from .dataset.tables import UNMATCHED_REASON, parse_folder
    from .rules.vocabulary import UNMATCHED_GROUP
    from .workers import Budget

    dataset = parse_folder(
        args.raw_dir,
        args.processed,
        workers=args.workers,
        use_cache=not args.no_cache,
        ocr=not args.no_ocr,
        progress=True,
        budget=Budget(seconds=args.max_seconds, memory_mb=args.max_memory),
    )
    counts = dataset.letters["status"].value_counts()
    total = len(dataset.letters)
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    where = f"from {printable(args.raw_dir)}: {summary}; tables in {printable(args.processed)}"
    print(f"parsed {total} letter{'s' * (total != 1)} {where}")
    for row in dataset.letters.to_dict("records"):
        if row["status"] == Status.ERROR:
            print(f"  error   {printable(row['source'])}: {printable(str(row['problems']).splitlines()[0])}")
    groups = dataset.comparison_groups()
    for name in groups.loc[groups["group"] == UNMATCHED_GROUP, "authority"]:
        print(f"  unmatched {printable(name)}: {UNMATCHED_REASON}")
    if args.strict and (dataset.letters["status"] != Status.OK).any():
        return 1
    return 0


def _add_report_arguments(parser: argparse.ArgumentParser, with_processed: bool) -> None:
    if with_processed:
        parser.add_argument("--processed", type=Path, default=paths.PROCESSED_DIR, help="folder of Parquet tables")
    parser.add_argument("--out", dest="reports_out", type=Path, default=paths.REPORTS_DIR, help="folder for reports")
    parser.add_argument("--year", type=int, action="append", dest="years", help="only this year (repeatable)")
    parser.add_argument(
        "--authority", action="append", dest="authorities", help="only this authority's profile (repeatable)"
    )
    parser.add_argument("--force", action="store_true", help="render every report, changed or not")
    parser.add_argument(
        "--max-minutes",
        type=_positive,
        default=REPORT_RUN_MINUTES,
        help="give up the reports not rendered after this long (they are listed, and the run exits 1)",
    )


def run_report(args: argparse.Namespace) -> int:
    from .reports import run_reports

    run = run_reports(
        args.processed,
        args.reports_out,
        years=args.years,
        authorities=args.authorities,
        workers=args.workers,
        force=args.force,
        progress=True,
        max_minutes=args.max_minutes,
    )
    print(f"reports: {len(run.rendered)} rendered, {len(run.skipped)} unchanged (skipped), {len(run.failed)} failed")
    for path in run.failed:
        entry = next(e for e in run.entries if e["path"] == path)
        print(f"  failed  {printable(path)}: {printable(entry['error'])}")
    print(f"open {run.index_path.absolute().as_uri()}")  # the published name, not the set's
    return 1 if run.failed else 0


def run_export(args: argparse.Namespace) -> int:
    from .exports.tables import FORMATS, export_data

    formats = FORMATS if args.format == "all" else (args.format,)
    written = export_data(args.processed, args.export_out, formats)
    print(f"exported {len(written)} files to {printable(args.export_out)}")
    return 0


def run_all(args: argparse.Namespace) -> int:
    from .dataset.store import pin_set

    parse_status = run_parse(args)  # with --strict, 1 when a letter is not ok: the reports are rendered all the same
    args.processed = pin_set(args.processed)  # the set just written: export and reports read the same one
    args.export_out, args.format = args.reports_out / paths.EXPORT_DIR.name, "all"
    run_export(args)  # before the reports, so that their index links the downloads
    report_status = run_report(args)
    return parse_status or report_status


def run_fetch(args: argparse.Namespace) -> int:
    from .fetch import Limits, fetch_letters, read_address_list

    addresses = read_address_list(args.from_file) if args.from_file else []
    limits = Limits(contact=args.contact, delay=args.delay, max_bytes=args.max_mb * 2**20)
    run = fetch_letters(
        args.out,
        start=args.start,
        addresses=addresses,
        years=args.years or (),
        limits=limits,
        dry_run=args.dry_run,
        progress=not args.quiet,
        max_pages=args.max_pages,
    )
    if args.dry_run:
        for wanted in run.wanted:
            if not args.years or wanted.year in args.years:
                print(f"  would fetch {printable(wanted.url)} as {wanted.council} {wanted.year or 'year unknown'}")
    if not args.quiet or run.refused:
        for entry in run.refused:
            print(f"  refused {printable(entry.url)}: {printable(entry.why)}")
    saved = len(run.letters) - run.unchanged
    print(
        f"read {run.pages_read} pages: {len(run.wanted)} letters found, {saved} saved, {run.unchanged} unchanged, "
        f"{len(run.statistics_pages)} statistics pages, {len(run.refused)} refused; in {printable(args.out)}"
    )
    return 0


def run_sample(args: argparse.Namespace) -> int:
    from .sample.corpus import parse_years, write_sample_corpus

    years = parse_years(args.years)
    written = write_sample_corpus(args.out, seed=args.seed, councils=args.councils, years=years, tables=args.tables)
    print(f"wrote {len(written)} sample letters (made-up figures) and truth.json to {args.out}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, suggesting the closest option or command for a mistyped one ("--wokers": "--workers")."""

    def error(self, message: str) -> NoReturn:
        super().error(message + self._suggestion(message))

    def _suggestion(self, message: str) -> str:
        """The closest option or command to each mistyped one, or which commands take an option this one does not."""
        mistyped = [
            word.strip("'")
            for kind, found in re.findall(r"(unrecognized arguments|invalid choice): (.+?)(?: \(choose|$)", message)
            for word in found.split()
            if kind == "invalid choice" or word.startswith("-")  # not the value given with an option
        ]
        commands = self._commands()
        known = [word for name, options in commands.items() for word in ([name] if name else []) + options]
        hints = []
        for word in mistyped:
            taking = [name or "itself, before the command" for name, options in commands.items() if word in options]
            if taking:
                hints.append(f"{word} is an option of lgsco {', '.join(taking)}")
            else:
                hints += [f"did you mean {match}?" for match in difflib.get_close_matches(word, known, n=1, cutoff=0.6)]
        return "".join(f"; {hint}" for hint in hints)

    def _commands(self) -> dict[str, list[str]]:
        """Each command's options ("" for those of lgsco itself)."""
        commands = {"": [option for action in self._actions for option in action.option_strings]}
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, command in action.choices.items():
                    commands[name] = [option for sub in command._actions for option in sub.option_strings]
        return commands


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default said once: not for a flag, an option with none, or one whose help says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or action.nargs == 0 or "default" in text:
            return text
        return f"{text} (default: %(default)s)"


DESCRIPTION = "LGSCO annual review letters -> a validated dataset, its downloads and HTML reports."
EXAMPLES = """examples:
  lgsco sample                      write the fictional sample letters into data/raw/sample
  lgsco run                         parse data/raw, export the data, render the reports into reports/
  lgsco run --year 2025             the same, with the reports of 2025 only
  lgsco report --authority "whimsymere borough council"
                                    one council's profile (any case), from tables already parsed
  lgsco fetch --contact you@example.org --year 2025
                                    the Ombudsman's letters for 2025, into data/raw/lgsco

Each command's own help: lgsco COMMAND --help."""
RUN_STEPS = """Three steps, each as its own command would do it:
  1. parse   the letter PDFs -> validated Parquet tables in --processed
  2. export  those tables -> CSV files, an Excel workbook and a data package in <--out>/data
  3. report  HTML reports, an index and a manifest in --out (unchanged reports are kept)"""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lgsco", description=DESCRIPTION, epilog=EXAMPLES, formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"lgsco-analysis {package_version()}")
    parser.add_argument("--verbose", action="store_true", help="say what the run does, on stderr")
    parser.add_argument("--log-file", type=Path, help="append a timestamped record of the run to this file")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    defaults: dict[str, Any] = {"formatter_class": _HelpFormatter}

    parse = commands.add_parser("parse", help="letter PDFs -> validated Parquet tables", **defaults)
    _add_parse_arguments(parse, "--out")
    parse.set_defaults(handler=run_parse)

    report = commands.add_parser("report", help="Parquet tables -> HTML reports, an index and a manifest", **defaults)
    _add_report_arguments(report, with_processed=True)
    report.add_argument("--workers", type=_positive, default=os.cpu_count() or 1, help="notebooks run at once")
    report.set_defaults(handler=run_report)

    run = commands.add_parser(
        "run", help="parse, export, then report: the whole chain", description=RUN_STEPS, **defaults
    )
    _add_parse_arguments(run, "--processed")
    _add_report_arguments(run, with_processed=False)
    run.set_defaults(handler=run_all)

    export = commands.add_parser(
        "export", help="Parquet tables -> CSV files, an Excel workbook and a data package", **defaults
    )
    export.add_argument("--processed", type=Path, default=paths.PROCESSED_DIR, help="folder of Parquet tables")
    export.add_argument("--out", dest="export_out", type=Path, default=paths.EXPORT_DIR, help="folder for the files")
    export.add_argument(
        "--format",
        choices=("csv", "xlsx", "all"),
        default="all",
        help="CSV files (with datapackage.json), Excel, or both",
    )
    export.set_defaults(handler=run_export)

    fetch = commands.add_parser(
        "fetch", help="the letters and statistics pages from the Ombudsman's site, politely", **defaults
    )
    from .fetch import DEFAULT_OUT, MAX_PAGES, Limits

    fetch.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the letters")
    fetch.add_argument(
        "--from", dest="from_file", type=Path, help="a list of addresses (a line each, or a CSV url column)"
    )
    fetch.add_argument("--start", help="where the crawl starts (the councils' performance index unless --from)")
    fetch.add_argument(
        "--year", type=int, action="append", dest="years", help="only letters for this year (repeatable)"
    )
    fetch.add_argument(
        "--contact",
        default=os.environ.get("LGSCO_CONTACT", ""),
        help="your email or web address, sent in the User-Agent so the site can reach you (or $LGSCO_CONTACT)",
    )
    fetch.add_argument("--delay", type=float, default=Limits.delay, help="seconds between two requests to the site")
    fetch.add_argument(
        "--max-mb", type=_positive, default=Limits.max_bytes // 2**20, help="refuse a file larger than this"
    )
    fetch.add_argument("--max-pages", type=_positive, default=MAX_PAGES, help="read at most this many pages")
    fetch.add_argument("--dry-run", action="store_true", help="list the letters found; download none")
    fetch.add_argument("--quiet", action="store_true", help="no progress bar; only what was refused and a summary")
    fetch.set_defaults(handler=run_fetch)

    sample = commands.add_parser("sample", help="write fictional sample letters with their right answers", **defaults)
    sample.add_argument("--out", type=Path, default=paths.SAMPLE_DIR, help="folder for the letters")
    sample.add_argument("--seed", type=int, default=2014, help="the same seed writes the same bytes")
    sample.add_argument("--councils", type=_positive, default=40, help="how many fictional councils")
    sample.add_argument("--years", default="2014-2025", help="a year or a range such as 2014-2025")
    sample.add_argument(
        "--tables",
        default="mixed",
        help="how tables are drawn, as PDF producers differ: ruled (stroked lines), filled (rules as thin "
        "filled rectangles), shaded (shaded headers, no rules), plain (no rules or shading), text (no table: "
        "labels and values as lines of text), or mixed (each letter one of those at random; the default)",
    )
    sample.set_defaults(handler=run_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    start_logging(args.verbose, args.log_file)
    logging.getLogger("lgsco_analysis").info("lgsco %s (lgsco-analysis %s)", args.command, package_version())
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if in_main_thread else None  # a scheduler's stop: as Ctrl-C
    try:
        return _handle(args)
    finally:
        if in_main_thread and previous is not None:  # main() may run inside another program (tests): its own comes back
            signal.signal(signal.SIGTERM, previous)


def _handle(args: argparse.Namespace) -> int:
    """Run the command: errors become one line and an exit status."""
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("lgsco: interrupted", file=sys.stderr)
        return 130
    except (LgscoError, OSError) as error:  # foreseen: a bad argument or input, a full disk, a busy folder
        log.info("lgsco %s failed", args.command, exc_info=True)  # the traceback, with --verbose
        print(f"lgsco {args.command}: {printable(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # a fault in lgsco itself: say where its traceback is
        where = _keep_traceback(args.log_file)
        print(
            f"lgsco {args.command}: internal error ({type(error).__name__}: {printable(error)}); "
            f"the traceback is in {printable(where)}: please report it",
            file=sys.stderr,
        )
        return 3


def _stop(signal_number: int, _frame: object) -> None:
    raise KeyboardInterrupt  # handled in main: every run's clean-up (``finally``) happens on the way out


def _keep_traceback(log_file: Path | None) -> Path:
    """Write the exception being handled to the run's log (or a new file in the temporary folder)."""
    if log_file is None:
        handle, name = tempfile.mkstemp(prefix="lgsco-traceback-", suffix=".txt")
        os.close(handle)
        log_file = Path(name)
    with log_file.open("a", encoding="utf-8") as record:
        record.write(traceback.format_exc())
    return log_file


if __name__ == "__main__":
    sys.exit(main())
