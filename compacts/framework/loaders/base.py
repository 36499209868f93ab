"""Shared pieces of the reference-data loaders: strict readers that name the file and line of
any problem, and an upsert on natural keys that touches only rows whose values changed."""

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import models
from lxml import etree

from compacts.core.exceptions import ApplicationError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class DataFileError(ApplicationError):
    """A shipped reference file is malformed; the message names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"{where}: {problem}", {"file": str(path), "line": line})
        self.path = Path(path)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class Row:
    """One record read from a data file, with the line it starts on."""

    path: Path
    line: int
    values: dict[str, str]

    def error(self, problem: str) -> DataFileError:
        return DataFileError(self.path, self.line, problem)

    def text(self, name: str, *, required: bool = True) -> str:
        value = (self.values.get(name) or "").strip()
        if required and not value:
            raise self.error(f"the column {name!r} is empty")
        return value

    def integer(self, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
        raw = self.text(name)
        try:
            value = int(raw)
        except ValueError:
            raise self.error(f"the column {name!r} should be a whole number, not {raw!r}") from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise self.error(f"the column {name!r} is {value}, outside {minimum}..{maximum}")
        return value

    def choice(self, name: str, options: Iterable[str]) -> str:
        value = self.text(name)
        options = list(options)
        if value not in options:
            raise self.error(f"the column {name!r} is {value!r}; expected one of {options}")
        return value


def read_csv(path: Path, *, columns: list[str], encoding: str = "utf-8-sig") -> list[Row]:
    """Every row of a CSV file, checking the header and the number of cells of each line."""
    if not path.exists():
        raise DataFileError(path, None, "the file is missing")
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise DataFileError(path, 1, "the file is empty")
            missing = [name for name in columns if name not in header]
            if missing:
                raise DataFileError(path, 1, f"the header lacks the columns {missing}")
            rows: list[Row] = []
            start = reader.line_num + 1
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    start = reader.line_num + 1
                    continue
                if len(cells) != len(header):
                    raise DataFileError(
                        path, start, f"expected {len(header)} cells, found {len(cells)}"
                    )
                rows.append(Row(path, start, dict(zip(header, cells, strict=True))))
                start = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise DataFileError(path, None, f"the file is not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise DataFileError(path, reader.line_num, f"malformed CSV ({error})") from None
    return rows


def read_yaml_mapping(path: Path) -> dict[str, tuple[str, int]]:
    """A flat YAML mapping of strings as ``{key: (value, line)}``."""
    if not path.exists():
        raise DataFileError(path, None, "the file is missing")
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DataFileError(
            path, mark.line + 1 if mark else None, f"malformed YAML ({error.problem})"
        ) from None
    except UnicodeDecodeError as error:
        raise DataFileError(path, None, f"the file is not UTF-8 text ({error.reason})") from None
    if not isinstance(node, yaml.MappingNode):
        raise DataFileError(path, 1, "expected a mapping of keys to titles")
    result: dict[str, tuple[str, int]] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            raise DataFileError(path, line, "expected a key with a text value")
        key, value = str(key_node.value), " ".join(str(value_node.value).split())
        if key in result:
            raise DataFileError(path, line, f"the key {key!r} appears twice")
        if not value:
            raise DataFileError(path, line, f"the key {key!r} has no text")
        result[key] = (value, line)
    return result


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def read_xml(path: Path) -> etree._Element:
    if not path.exists():
        raise DataFileError(path, None, "the file is missing")
    try:
        return etree.parse(str(path), _XML_PARSER).getroot()
    except etree.XMLSyntaxError as error:
        raise DataFileError(path, error.lineno, f"malformed XML ({error.msg})") from None


def checksum(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def sort_key(code: str) -> str:
    """A key that orders SDG codes as the framework does: 1.2 < 1.10 < 1.a, goal 2 < goal 10."""
    parts = []
    for part in code.split("."):
        parts.append(f"{int(part):03d}" if part.isdigit() else f"z{part}")
    return ".".join(parts)


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "SyncResult") -> "SyncResult":
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def sync_rows(
    model: type[models.Model],
    key: str | tuple[str, ...],
    rows: list[dict[str, Any]],
    *,
    create_only: bool = False,
    queryset: models.QuerySet | None = None,
) -> tuple[SyncResult, dict[Any, models.Model]]:
    """Upsert ``rows`` (dicts of attribute names, foreign keys as ``x_id``) on the natural key.

    Only rows whose values differ are written (``bulk_update``), so a rerun changes nothing.
    ``create_only`` leaves existing rows alone (data administrators edit, such as the MPTF's).
    Returns the counts and every object by key.
    """
    keys = (key,) if isinstance(key, str) else key

    def key_of(values) -> Any:
        found = tuple(
            values[name] if isinstance(values, dict) else getattr(values, name) for name in keys
        )
        return found[0] if len(found) == 1 else found

    existing = {
        key_of(obj): obj for obj in (queryset if queryset is not None else model.objects.all())
    }
    result = SyncResult()
    to_create, to_update, changed_fields = [], [], set()
    for values in rows:
        obj = existing.get(key_of(values))
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
            existing[key_of(values)] = obj
            continue
        if create_only:
            result.unchanged += 1
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if differing:
            for name in differing:
                setattr(obj, name, values[name])
            changed_fields.update(differing)
            to_update.append(obj)
        else:
            result.unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
        if any(obj.pk is None for obj in to_create):  # databases that do not return keys
            fresh = {key_of(obj): obj for obj in model.objects.all()}
            existing.update({k: fresh[k] for k in (key_of(o) for o in to_create)})
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)
    return result, existing


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from enumerate(handle, start=1)
