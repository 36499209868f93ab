"""``compacts iati``: IATI 2.03 tools. ``validate`` now; ``export`` and ``import`` plug in as
further subcommands (add a parser in ``add_arguments`` and a ``_handle_<name>`` method)."""

import json as jsonlib
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from compacts.iati.validation import CHECKS, KINDS, PURPOSES, unreadable_report, validate
from compacts.iati.xml import IatiXmlError, file_kind, parse


class Command(BaseCommand):
    help = "IATI 2.03 tools: `compacts iati validate|export|import`."
    # Validating files needs no URL or model checks; skipping them keeps the command usable
    # (and fast) whatever state the rest of the site is in.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "validate",
            help="Validate IATI files against the 2.03 schema, codelists and Standard ruleset; "
            "exit 1 if any file is unreadable or has a schema error.",
        )
        check.add_argument("files", nargs="+", metavar="FILE")
        check.add_argument(
            "--kind",
            choices=("auto", *KINDS),
            default="auto",
            help="activity or organisation file (default: from the root element)",
        )
        check.add_argument(
            "--purpose",
            choices=PURPOSES,
            default="import",
            help="export: withdrawn codes are errors; import (default): warnings",
        )
        check.add_argument(
            "--checks",
            default=",".join(CHECKS),
            help=f"comma-separated subset of {','.join(CHECKS)} (default: all)",
        )
        check.add_argument(
            "--strict",
            action="store_true",
            help="also exit 1 when a codelist or ruleset check finds an error",
        )
        check.add_argument("--today", type=date.fromisoformat, help="date used by date rules")
        check.add_argument("--json", action="store_true", help="print the findings as JSON")

        export = sub.add_parser(
            "export",
            help="Write the fund's activity, organisation and registry-record files into DIR, "
            "validated; exit 1 if any file has an error.",
        )
        export.add_argument("--output", required=True, metavar="DIR")
        export.add_argument(
            "--publish",
            action="store_true",
            help="also (re)generate the files served at /iati/ (ignores --output)",
        )

        load = sub.add_parser(
            "import",
            help="Import IATI activity files: each activity imported, skipped or rejected; "
            "exit 1 if a file could not be read to its end.",
        )
        load.add_argument("files", nargs="+", metavar="FILE")
        load.add_argument(
            "--workers",
            type=int,
            help="processes that read and validate the file (default: one per core, at most "
            "4, for files of 8 MB or more; 1: read in this process)",
        )

    def handle(self, *args, action, **options):
        return getattr(self, f"_handle_{action}")(**options)

    def _handle_validate(self, *, files, kind, purpose, checks, strict, today, json, **_):
        wanted = tuple(c.strip() for c in checks.split(",") if c.strip())
        unknown = set(wanted) - set(CHECKS)
        if unknown:
            raise CommandError(f"unknown check(s) {', '.join(sorted(unknown))}: use {CHECKS}")
        failed = []
        reports = []
        for path in files:
            report = self._validate_one(path, kind, purpose, wanted, today)
            reports.append(report)
            bad = not report.schema_valid or (strict and not report.is_valid)
            if bad:
                failed.append(path)
            if not json:
                self._print_report(path, report, bad)
        if json:
            payload = [
                {"file": r.name, "kind": r.kind, "valid": r.is_valid,
                 "schema_valid": r.schema_valid,
                 "findings": [f.as_dict() for f in r.findings]}
                for r in reports
            ]  # fmt: skip
            self.stdout.write(jsonlib.dumps(payload, indent=2, ensure_ascii=False))
        if failed:
            what = "errors" if strict else "schema errors or cannot be read"
            raise CommandError(f"{len(failed)} of {len(files)} file(s) have {what}.")

    def _handle_export(self, *, output, publish, **_):
        from pathlib import Path

        from compacts.iati.services import iati_export

        if publish:
            run = iati_export(reason="command line")
        else:
            run = iati_export(reason="command line", directory=Path(output))
        for finding in run.findings:
            where = finding.get("file", "")
            self.stdout.write(
                f"{where}: {finding['severity']} {finding['rule_id']} "
                f"[{finding.get('activity') or '-'}]: {finding['message']}"
            )
        summary = (
            f"export #{run.pk}: {run.status} - {run.activity_count} activities, "
            f"{run.error_count} error(s), {run.warning_count} warning(s) in {run.directory}"
        )
        if run.status != "succeeded":
            raise CommandError(summary + f" ({run.message})")
        self.stdout.write(self.style.SUCCESS(summary))

    def _handle_import(self, *, files, workers, **_):
        from compacts.iati.importer import import_file

        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more.")
        failed = 0
        for path in files:
            run = import_file(path=path, workers=workers, progress=self._progress_line(path))
            if self.stderr.isatty():
                self.stderr.write("")  # end the redrawn progress line
            for entry in run.report:
                if entry["outcome"] in ("skipped", "rejected"):
                    self.stdout.write(
                        f"{path}:{entry['line']}: {entry['outcome']} {entry['identifier']}: "
                        f"{entry['reason']}"
                    )
                    for error in entry.get("errors", []):
                        self.stdout.write(
                            f"    line {error['line']}: {error['rule_id']}: {error['message']}"
                        )
            summary = (
                f"{path}: {run.status} - {run.imported} imported, {run.updated} updated, "
                f"{run.skipped} skipped, {run.rejected} rejected"
            )
            if run.status != "succeeded":
                failed += 1
                self.stdout.write(self.style.ERROR(f"{summary}: {run.message}"))
            else:
                self.stdout.write(self.style.SUCCESS(summary))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be imported in full.")

    def _progress_line(self, path):
        """Progress on stderr: one line redrawn on a terminal; a line per tenth otherwise."""
        terminal = self.stderr.isatty()
        shown = {"tenth": -1}

        def report(run) -> None:
            percent = run.progress
            if not terminal and percent // 10 == shown["tenth"]:
                return
            shown["tenth"] = percent // 10
            done = run.imported + run.updated + run.skipped + run.rejected
            line = (
                f"{path}: {percent:3d}% read, {done:,} activities "
                f"({run.imported:,} imported, {run.updated:,} updated, {run.skipped:,} skipped, "
                f"{run.rejected:,} rejected)"
            )
            self.stderr.write(line, ending="\r" if terminal else "\n")

        return report

    def _validate_one(self, path, kind, purpose, checks, today):
        try:
            tree = parse(path)
        except IatiXmlError as exc:
            report = unreadable_report(exc, kind="activity" if kind == "auto" else kind,
                                       purpose=purpose)  # fmt: skip
        else:
            if kind == "auto":
                kind = file_kind(tree) or "activity"
            report = validate(tree, kind=kind, purpose=purpose, checks=checks, today=today)
        report.name = path
        return report

    def _print_report(self, path, report, bad):
        for finding in report.findings:
            line = finding.line or "-"
            who = f" [{finding.activity}]" if finding.activity else ""
            extra = f" ({finding.context})" if finding.context else ""
            self.stdout.write(
                f"{path}:{line}: {finding.severity} {finding.rule_id} "
                f"({finding.source}){who}: {finding.message}{extra}"
            )
        errors, warnings = len(report.errors), len(report.warnings)
        status = "FAILED" if bad else "ok"
        style = self.style.ERROR if bad else self.style.SUCCESS
        self.stdout.write(
            style(
                f"{path}: {status} - {report.kind} file, {errors} error(s), {warnings} warning(s)"
            )
        )
