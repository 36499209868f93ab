"""The Global Compact on Refugees: its four objectives and its programme-of-action areas."""

from pathlib import Path

from compacts.framework.loaders.base import SyncResult, read_csv, sync_rows
from compacts.framework.models import GcrArea, GcrObjective

FILES = ["gcr/objectives.csv", "gcr/areas.csv"]


def parse(data_dir: Path) -> dict:
    objectives = []
    for row in read_csv(data_dir / "gcr/objectives.csv", columns=["number", "title", "paragraph"]):
        number = row.integer("number", minimum=1, maximum=4)
        if number != len(objectives) + 1:
            raise row.error(f"objective {number} is out of order")
        objectives.append(
            {"number": number, "title": row.text("title"), "paragraph": row.text("paragraph")}
        )
    areas: list[dict] = []
    codes: set[str] = set()
    columns = [
        "code",
        "part",
        "section",
        "parent",
        "title",
        "paragraphs",
        "is_health",
        "status",
        "summary",
    ]
    for order, row in enumerate(read_csv(data_dir / "gcr/areas.csv", columns=columns)):
        code = row.text("code")
        if code in codes:
            raise row.error(f"the area {code} appears twice")
        parent = row.text("parent", required=False)
        if parent and parent not in codes:
            raise row.error(f"the parent {parent!r} must be listed before {code}")
        codes.add(code)
        areas.append(
            {
                "code": code,
                "part": row.choice("part", ["A", "B"]),
                "section": row.text("section"),
                "parent": parent or None,
                "title": row.text("title"),
                "paragraphs": row.text("paragraphs"),
                "is_health": row.choice("is_health", ["yes", "no"]) == "yes",
                "status": row.choice("status", ["confirmed", "provisional"]),
                "summary": row.text("summary", required=False),
                "sort_order": order,
            }
        )
    return {"objectives": objectives, "areas": areas}


def load(data_dir: Path) -> dict[str, SyncResult]:
    parsed = parse(data_dir)
    objectives, _ = sync_rows(GcrObjective, "number", parsed["objectives"])
    result = SyncResult()
    by_code: dict[str, GcrArea] = {}
    for depth in range(4):  # parents before children
        rows = []
        for area in parsed["areas"]:
            level, parent = 0, area["parent"]
            while parent:
                level += 1
                parent = next(a["parent"] for a in parsed["areas"] if a["code"] == parent)
            if level == depth:
                values = {k: v for k, v in area.items() if k != "parent"}
                values["parent_id"] = by_code[area["parent"]].pk if area["parent"] else None
                rows.append(values)
        partial, objects = sync_rows(GcrArea, "code", rows)
        result += partial
        by_code.update(objects)
    return {"gcr objectives": objectives, "gcr areas": result}
