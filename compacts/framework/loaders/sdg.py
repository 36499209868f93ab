"""SDG goals, targets and indicators (Open SDG translations), reconciled to the official list,
and their links with the GCM."""

import re
from pathlib import Path

from compacts.framework.loaders.base import (
    DataFileError,
    SyncResult,
    read_csv,
    read_yaml_mapping,
    sort_key,
    sync_rows,
)
from compacts.framework.models import (
    GcmObjective,
    GcmObjectiveSdgTarget,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
)

FILES = [
    "sdg-open-sdg/global_goals.en.yml",
    "sdg-open-sdg/global_goals.fr.yml",
    "sdg-open-sdg/global_goals.es.yml",
    "sdg-open-sdg/global_targets.en.yml",
    "sdg-open-sdg/global_indicators.en.yml",
    "sdg-open-sdg/indicator_reconciliation.csv",
    "links/gcm_sdg_indicators.csv",
    "links/gcm_sdg_targets.csv",
]
GOAL_KEY = re.compile(r"^(\d{1,2})-(title|short)$")
TARGET_KEY = re.compile(r"^(\d{1,2})-([0-9]{1,2}|[a-z])-title$")
INDICATOR_KEY = re.compile(r"^(\d{1,2})-([0-9]{1,2}|[a-z])-(\d{1,2})-title$")
GOAL_LANGUAGES = ["en", "fr", "es"]


def _goals(data_dir: Path) -> dict[int, dict]:
    goals: dict[int, dict] = {}
    for language in GOAL_LANGUAGES:
        path = data_dir / f"sdg-open-sdg/global_goals.{language}.yml"
        for key, (value, line) in read_yaml_mapping(path).items():
            match = GOAL_KEY.match(key)
            if not match:
                continue  # the translation files carry other keys (e.g. "global_goals")
            number = int(match[1])
            if not 1 <= number <= 17:
                raise DataFileError(path, line, f"goal {number} is outside 1..17")
            if language != "en" and number not in goals:
                raise DataFileError(path, line, f"goal {number} is not in the English file")
            goal = goals.setdefault(number, {"titles": {}, "short_titles": {}})
            bucket = "titles" if match[2] == "title" else "short_titles"
            goal[bucket][language] = value
    english = data_dir / "sdg-open-sdg/global_goals.en.yml"
    if sorted(goals) != list(range(1, 18)):
        raise DataFileError(english, None, f"expected goals 1..17, found {sorted(goals)}")
    for number, goal in goals.items():
        if "en" not in goal["titles"]:
            raise DataFileError(english, None, f"goal {number} has no English title")
    return goals


def parse(data_dir: Path) -> dict:
    goals = _goals(data_dir)

    targets_path = data_dir / "sdg-open-sdg/global_targets.en.yml"
    targets: dict[str, dict] = {}
    for key, (value, line) in read_yaml_mapping(targets_path).items():
        match = TARGET_KEY.match(key)
        if not match:
            raise DataFileError(
                targets_path, line, f"the key {key!r} is not a target key like 10-7-title"
            )
        goal = int(match[1])
        if goal not in goals:
            raise DataFileError(targets_path, line, f"target {key!r} names an unknown goal {goal}")
        targets[f"{goal}.{match[2]}"] = {"goal": goal, "title": value}

    reconciliation_path = data_dir / "sdg-open-sdg/indicator_reconciliation.csv"
    drops: dict[str, str] = {}
    repeats: dict[str, tuple[str, int]] = {}
    for row in read_csv(reconciliation_path, columns=["code", "decision", "repeat_of", "reason"]):
        code, decision = row.text("code"), row.choice("decision", ["drop", "repeat"])
        row.text("reason")
        if code in drops or code in repeats:
            raise row.error(f"{code} appears twice")
        if decision == "drop":
            drops[code] = row.text("reason")
        else:
            repeats[code] = (row.text("repeat_of"), row.line)

    indicators_path = data_dir / "sdg-open-sdg/global_indicators.en.yml"
    indicators: dict[str, dict] = {}
    seen: set[str] = set()
    for key, (value, line) in read_yaml_mapping(indicators_path).items():
        match = INDICATOR_KEY.match(key)
        if not match:
            raise DataFileError(
                indicators_path, line, f"the key {key!r} is not an indicator key like 10-7-1-title"
            )
        code = f"{int(match[1])}.{match[2]}.{int(match[3])}"
        target = f"{int(match[1])}.{match[2]}"
        if target not in targets:
            raise DataFileError(
                indicators_path, line, f"indicator {code} names an unknown target {target}"
            )
        seen.add(code)
        if code in drops:
            continue
        indicators[code] = {"target": target, "title": value, "line": line, "repeat_of": None}
    for code in [*drops, *repeats]:
        if code not in seen:
            raise DataFileError(
                reconciliation_path, None, f"{code} is not in {indicators_path.name}"
            )
    for code, (primary, line) in repeats.items():
        if primary not in indicators or indicators[primary]["repeat_of"]:
            raise DataFileError(
                reconciliation_path,
                line,
                f"{code} repeats {primary}, which is not a loaded primary indicator",
            )
        if indicators[primary]["title"].lower().rstrip(".") != indicators[code][
            "title"
        ].lower().rstrip("."):
            raise DataFileError(
                reconciliation_path,
                line,
                f"{code} and {primary} have different titles, so it is not a repeat",
            )
        if sort_key(primary) > sort_key(code):
            raise DataFileError(
                reconciliation_path, line, f"{code} should be the primary and {primary} the repeat"
            )
        indicators[code]["repeat_of"] = primary

    linked: set[str] = set()
    for row in read_csv(data_dir / "links/gcm_sdg_indicators.csv", columns=["indicator"]):
        code = row.text("indicator")
        if code not in indicators:
            raise row.error(f"the indicator {code} is not in the reconciled SDG list")
        linked.add(code)

    links: list[dict] = []
    for row in read_csv(
        data_dir / "links/gcm_sdg_targets.csv", columns=["objective", "target", "status", "note"]
    ):
        target = row.text("target")
        if target not in targets:
            raise row.error(f"the target {target} is not an SDG target")
        links.append(
            {
                "objective": row.integer("objective", minimum=1, maximum=23),
                "target": target,
                "status": row.choice("status", ["confirmed", "provisional"]),
                "note": row.text("note", required=False),
            }
        )
    return {
        "goals": goals,
        "targets": targets,
        "indicators": indicators,
        "linked": linked,
        "links": links,
    }


def load(data_dir: Path) -> dict[str, SyncResult]:
    parsed = parse(data_dir)
    goals_result, goals = sync_rows(
        SdgGoal,
        "number",
        [
            {
                "number": number,
                "title": goal["titles"]["en"],
                "short_title": goal["short_titles"].get("en", ""),
                "titles": goal["titles"],
                "short_titles": goal["short_titles"],
            }
            for number, goal in sorted(parsed["goals"].items())
        ],
    )
    targets_result, targets = sync_rows(
        SdgTarget,
        "code",
        [
            {
                "code": code,
                "goal_id": goals[t["goal"]].pk,
                "title": t["title"],
                "sort_key": sort_key(code),
            }
            for code, t in parsed["targets"].items()
        ],
    )
    indicator_rows = [
        {
            "code": code,
            "target_id": targets[i["target"]].pk,
            "title": i["title"],
            "is_gcm_linked": code in parsed["linked"],
            "sort_key": sort_key(code),
        }
        for code, i in parsed["indicators"].items()
    ]
    indicators_result, indicators = sync_rows(SdgIndicator, "code", indicator_rows)
    repeat_rows = [
        {"code": code, "repeat_of_id": indicators[i["repeat_of"]].pk if i["repeat_of"] else None}
        for code, i in parsed["indicators"].items()
    ]
    sync_rows(SdgIndicator, "code", repeat_rows)

    objectives = {o.number: o.pk for o in GcmObjective.objects.all()}
    links_result, _ = sync_rows(
        GcmObjectiveSdgTarget,
        ("objective_id", "target_id"),
        [
            {
                "objective_id": objectives[link["objective"]],
                "target_id": targets[link["target"]].pk,
                "status": link["status"],
                "note": link["note"],
            }
            for link in parsed["links"]
        ],
    )
    return {
        "sdg goals": goals_result,
        "sdg targets": targets_result,
        "sdg indicators": indicators_result,
        "gcm-sdg links": links_result,
    }
