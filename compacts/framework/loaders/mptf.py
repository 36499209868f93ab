"""The Migration MPTF's thematic areas (with their objective mapping) and markers (with scales).

The mapping and the scales are not confirmed (facts.md §3.2): they are loaded once as
provisional data and are then the administrators' to edit and confirm (``services``). A rerun
adds what is missing and never overwrites an administrator's edits.
"""

from pathlib import Path

from compacts.framework.loaders.base import DataFileError, SyncResult, read_csv, sync_rows
from compacts.framework.models import (
    GcmObjective,
    Marker,
    MarkerLevel,
    ThematicArea,
    ThematicAreaObjective,
)

FILES = ["mptf/thematic_areas.csv", "mptf/markers.csv", "mptf/marker_levels.csv"]
SOURCE_NOTE = "data/mptf/SOURCE.md: not confirmed in a cited source (facts.md §3.2, [U])."


def parse(data_dir: Path) -> dict:
    areas, mapping = [], []
    mapped: dict[int, str] = {}
    for row in read_csv(
        data_dir / "mptf/thematic_areas.csv", columns=["code", "number", "name", "objectives"]
    ):
        code, number = row.text("code"), row.integer("number", minimum=1, maximum=5)
        if number != len(areas) + 1:
            raise row.error(f"thematic area {number} is out of order")
        areas.append(
            {"code": code, "number": number, "name": row.text("name"), "source_note": SOURCE_NOTE}
        )
        for token in row.text("objectives").split(";"):
            token = token.strip()
            uncertain = token.endswith("?")
            digits = token.rstrip("?")
            if not digits.isdigit() or not 1 <= int(digits) <= 23:
                raise row.error(
                    f"{token!r} is not a GCM objective number (1..23, '?' marks an uncertain one)"
                )
            mapping.append({"area": code, "objective": int(digits), "is_uncertain": uncertain})
            mapped.setdefault(int(digits), code)
    markers = []
    for row in read_csv(
        data_dir / "mptf/markers.csv", columns=["code", "sort_order", "name", "description"]
    ):
        markers.append(
            {
                "code": row.text("code"),
                "sort_order": row.integer("sort_order", minimum=0),
                "name": row.text("name"),
                "description": row.text("description", required=False),
                "source_note": SOURCE_NOTE,
            }
        )
    codes = {m["code"] for m in markers}
    levels = []
    levels_path = data_dir / "mptf/marker_levels.csv"
    for row in read_csv(levels_path, columns=["marker", "value", "label", "description"]):
        marker = row.text("marker")
        if marker not in codes:
            raise row.error(f"the marker {marker!r} is not in markers.csv")
        levels.append(
            {
                "marker": marker,
                "value": row.integer("value", minimum=0, maximum=9),
                "label": row.text("label"),
                "description": row.text("description", required=False),
            }
        )
    for code in codes:
        if not any(level["marker"] == code for level in levels):
            raise DataFileError(levels_path, None, f"the marker {code!r} has no scale")
    return {"areas": areas, "mapping": mapping, "markers": markers, "levels": levels}


def load(data_dir: Path) -> dict[str, SyncResult]:
    parsed = parse(data_dir)
    areas_result, areas = sync_rows(ThematicArea, "code", parsed["areas"], create_only=True)
    objectives = {o.number: o.pk for o in GcmObjective.objects.all()}
    fresh = {code for code, area in areas.items() if not area.objective_links.exists()}
    mapping_result, _ = sync_rows(
        ThematicAreaObjective,
        ("thematic_area_id", "objective_id"),
        [
            {
                "thematic_area_id": areas[link["area"]].pk,
                "objective_id": objectives[link["objective"]],
                "is_uncertain": link["is_uncertain"],
            }
            for link in parsed["mapping"]
            if link["area"] in fresh
        ],
        create_only=True,
    )
    markers_result, markers = sync_rows(Marker, "code", parsed["markers"], create_only=True)
    unscaled = {code for code, marker in markers.items() if not marker.levels.exists()}
    levels_result, _ = sync_rows(
        MarkerLevel,
        ("marker_id", "value"),
        [
            {
                "marker_id": markers[level["marker"]].pk,
                **{k: v for k, v in level.items() if k != "marker"},
            }
            for level in parsed["levels"]
            if level["marker"] in unscaled
        ],
        create_only=True,
    )
    return {
        "thematic areas": areas_result,
        "thematic area mapping": mapping_result,
        "markers": markers_result,
        "marker levels": levels_result,
    }
