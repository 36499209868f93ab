"""The Global Compact for Migration: 23 objectives, 187 actions, 10 guiding principles."""

import json
import re
from pathlib import Path

from compacts.framework.loaders.base import DataFileError, SyncResult, read_csv, sync_rows
from compacts.framework.models import GcmAction, GcmObjective, GuidingPrinciple

FILES = [
    "gcm/gcm_objectives.csv",
    "gcm/gcm_actions.csv",
    "gcm/gcm_objectives.json",
    "gcm/hub_labels.csv",
    "gcm/guiding_principles.csv",
]
PARAGRAPH_OFFSET = 16  # objective n is set out in paragraph 16 + n (facts.md §1.1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _json_line(text: str, number: int) -> int | None:
    match = re.search(rf'"number"\s*:\s*{number}\b', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _commitments(path: Path, numbers: set[int]) -> dict[int, str]:
    if not path.exists():
        raise DataFileError(path, None, "the file is missing")
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError(path, error.lineno, f"malformed JSON ({error.msg})") from None
    entries = document.get("objectives") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise DataFileError(path, 1, 'expected {"objectives": [...]}')
    found: dict[int, str] = {}
    for entry in entries:
        number = entry.get("number") if isinstance(entry, dict) else None
        if not isinstance(number, int) or number not in numbers:
            raise DataFileError(
                path,
                _json_line(text, number) if isinstance(number, int) else None,
                f"an objective entry has an unknown number {number!r}",
            )
        commitment = " ".join(str(entry.get("commitment") or "").split())
        if not commitment:
            raise DataFileError(
                path, _json_line(text, number), f"objective {number} has no commitment"
            )
        found[number] = commitment
    if set(found) != numbers:
        raise DataFileError(
            path, None, f"commitments missing for objectives {sorted(numbers - set(found))}"
        )
    return found


def parse(data_dir: Path) -> dict:
    objectives_path = data_dir / "gcm/gcm_objectives.csv"
    objectives: dict[int, dict] = {}
    for row in read_csv(objectives_path, columns=["objective", "title", "n_actions"]):
        number = row.integer("objective", minimum=1, maximum=23)
        if number in objectives:
            raise row.error(f"objective {number} appears twice")
        if number != len(objectives) + 1:
            raise row.error(f"objective {number} is out of order (expected {len(objectives) + 1})")
        objectives[number] = {
            "title": row.text("title"),
            "n_actions": row.integer("n_actions", minimum=1),
            "line": row.line,
        }
    if len(objectives) != 23:
        raise DataFileError(
            objectives_path, None, f"expected 23 objectives, found {len(objectives)}"
        )

    actions: list[dict] = []
    per_objective: dict[int, list[str]] = {number: [] for number in objectives}
    for row in read_csv(
        data_dir / "gcm/gcm_actions.csv", columns=["objective", "action", "code", "text"]
    ):
        number = row.integer("objective", minimum=1, maximum=23)
        letter = row.text("action")
        expected = LETTERS[len(per_objective[number])]
        if letter != expected:
            raise row.error(
                f"action {letter!r} of objective {number} is out of order (expected {expected!r})"
            )
        code = row.text("code")
        if code != f"{number}{letter}":
            raise row.error(f"the code {code!r} should be {number}{letter}")
        per_objective[number].append(letter)
        actions.append(
            {"objective": number, "letter": letter, "code": code, "text": row.text("text")}
        )
    for number, info in objectives.items():
        if len(per_objective[number]) != info["n_actions"]:
            raise DataFileError(
                objectives_path,
                info["line"],
                f"objective {number} declares {info['n_actions']} actions; "
                f"gcm_actions.csv has {len(per_objective[number])}",
            )

    commitments = _commitments(data_dir / "gcm/gcm_objectives.json", set(objectives))

    labels: dict[int, str] = {}
    labels_path = data_dir / "gcm/hub_labels.csv"
    for row in read_csv(labels_path, columns=["objective", "short_label"]):
        number = row.integer("objective", minimum=1, maximum=23)
        if number in labels:
            raise row.error(f"objective {number} appears twice")
        labels[number] = row.text("short_label")
    if set(labels) != set(objectives):
        raise DataFileError(
            labels_path, None, f"labels missing for {sorted(set(objectives) - set(labels))}"
        )

    principles: list[dict] = []
    principles_path = data_dir / "gcm/guiding_principles.csv"
    for row in read_csv(principles_path, columns=["letter", "slug", "name", "status"]):
        letter = row.text("letter")
        if letter != LETTERS[len(principles)]:
            raise row.error(
                f"principle {letter!r} is out of order (expected {LETTERS[len(principles)]!r})"
            )
        principles.append(
            {
                "letter": letter,
                "slug": row.text("slug"),
                "name": row.text("name"),
                "status": row.choice("status", ["confirmed", "provisional"]),
            }
        )
    if len(principles) != 10:
        raise DataFileError(
            principles_path, None, f"expected 10 principles, found {len(principles)}"
        )

    return {
        "objectives": [
            {
                "number": number,
                "title": info["title"],
                "short_label": labels[number],
                "commitment": commitments[number],
                "paragraph": PARAGRAPH_OFFSET + number,
            }
            for number, info in objectives.items()
        ],
        "actions": actions,
        "principles": principles,
    }


def load(data_dir: Path) -> dict[str, SyncResult]:
    parsed = parse(data_dir)
    principles, _ = sync_rows(GuidingPrinciple, "letter", parsed["principles"])
    objectives_result, objectives = sync_rows(GcmObjective, "number", parsed["objectives"])
    actions, _ = sync_rows(
        GcmAction,
        "code",
        [
            {
                "objective_id": objectives[a["objective"]].pk,
                "letter": a["letter"],
                "code": a["code"],
                "text": a["text"],
            }
            for a in parsed["actions"]
        ],
    )
    return {
        "gcm objectives": objectives_result,
        "gcm actions": actions,
        "guiding principles": principles,
    }
