"""IATI 2.03 codelists (the ones compacts uses), read from the official XML files."""

from pathlib import Path

from compacts.framework.loaders.base import DataFileError, SyncResult, read_xml, sync_rows
from compacts.framework.models import Codelist, CodelistItem

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DIRECTORY = "iati-codelists-2.03"


def files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / DIRECTORY).glob("*.xml"))


def _narratives(element) -> dict[str, str]:
    found: dict[str, str] = {}
    if element is None:
        return found
    for narrative in element.iterfind("narrative"):
        found.setdefault(narrative.get(XML_LANG, "en"), " ".join((narrative.text or "").split()))
    return found


def parse_file(path: Path) -> dict:
    root = read_xml(path)
    if root.tag != "codelist":
        raise DataFileError(
            path, root.sourceline, f"expected a <codelist> root, found <{root.tag}>"
        )
    name = root.get("name")
    if name != path.stem:
        raise DataFileError(
            path, root.sourceline, f"the codelist is named {name!r}, the file {path.stem!r}"
        )
    items: list[dict] = []
    codes: set[str] = set()
    for order, item in enumerate(root.iterfind("codelist-items/codelist-item")):
        code = (item.findtext("code") or "").strip()
        if not code:
            raise DataFileError(path, item.sourceline, "a codelist item has no code")
        if len(code) > 40 or len((item.findtext("category") or "").strip()) > 40:
            raise DataFileError(
                path, item.sourceline, f"the code or category of {code[:40]!r} is too long"
            )
        if code in codes:
            raise DataFileError(path, item.sourceline, f"the code {code!r} appears twice")
        codes.add(code)
        names = _narratives(item.find("name"))
        status = item.get("status", "active")
        if status not in ("active", "withdrawn"):
            raise DataFileError(path, item.sourceline, f"unknown status {status!r}")
        items.append(
            {
                "code": code,
                "name": names.get("en") or next(iter(names.values()), code),
                "names": names,
                "description": _narratives(item.find("description")).get("en", ""),
                "category": (item.findtext("category") or "").strip(),
                "status": status,
                "sort_order": order,
            }
        )
    if not items:
        raise DataFileError(path, root.sourceline, "the codelist has no items")
    return {
        "name": name,
        "title": _narratives(root.find("metadata/name")).get("en", name),
        "description": _narratives(root.find("metadata/description")).get("en", ""),
        "complete": root.get("complete", "1") == "1",
        "source": f"IATI Standard 2.03 ({path.name})",
        "items": items,
    }


def load(data_dir: Path) -> dict[str, SyncResult]:
    parsed = [parse_file(path) for path in files(data_dir)]
    lists_result, lists = sync_rows(
        Codelist, "name", [{k: v for k, v in p.items() if k != "items"} for p in parsed]
    )
    items_result = SyncResult()
    for codelist in parsed:
        owner = lists[codelist["name"]]
        result, _ = sync_rows(
            CodelistItem,
            "code",
            [{"codelist_id": owner.pk, **item} for item in codelist["items"]],
            queryset=CodelistItem.objects.filter(codelist=owner),
        )
        items_result += result
    return {"codelists": lists_result, "codelist items": items_result}
