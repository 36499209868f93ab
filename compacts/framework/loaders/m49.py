"""UN M49 regions and countries in the six languages, and the areas IATI codes that M49 lacks."""

from pathlib import Path

from compacts.framework.loaders.base import DataFileError, SyncResult, read_csv, read_xml, sync_rows
from compacts.framework.models import Country, Region

LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "zh-hans": "cn", "ru": "ru"}
FILES = [f"un-m49-country-codes/UNSD-m49-{suffix}.csv" for suffix in LANGUAGES.values()] + [
    "un-m49-country-codes/iati_extra_areas.csv",
    "iati-codelists-2.03/Country.xml",
]
COLUMNS = [
    "Global Code",
    "Global Name",
    "Region Code",
    "Region Name",
    "Sub-region Code",
    "Sub-region Name",
    "Intermediate Region Code",
    "Intermediate Region Name",
    "Country or Area",
    "M49 Code",
    "ISO-alpha2 Code",
    "ISO-alpha3 Code",
    "Least Developed Countries (LDC)",
    "Land Locked Developing Countries (LLDC)",
    "Small Island Developing States (SIDS)",
]
LEVELS = [
    ("Global", Region.Level.WORLD),
    ("Region", Region.Level.REGION),
    ("Sub-region", Region.Level.SUB_REGION),
    ("Intermediate Region", Region.Level.INTERMEDIATE),
]


def _flag(row, column: str) -> bool:
    value = row.text(column, required=False)
    if value not in ("", "x"):
        raise row.error(f"the column {column!r} should be 'x' or empty, not {value!r}")
    return value == "x"


def parse(data_dir: Path) -> dict:
    regions: dict[str, dict] = {}
    countries: dict[str, dict] = {}
    for language, suffix in LANGUAGES.items():
        path = data_dir / f"un-m49-country-codes/UNSD-m49-{suffix}.csv"
        seen: set[str] = set()
        for row in read_csv(path, columns=COLUMNS):
            parent = None
            for prefix, level in LEVELS:
                code = row.text(f"{prefix} Code", required=False)
                if not code:
                    continue
                if len(code) != 3 or not code.isdigit():
                    raise row.error(f"the {prefix} code {code!r} is not a three-digit M49 code")
                name = row.text(f"{prefix} Name")
                region = regions.get(code)
                if region is None:
                    if language != "en":
                        raise row.error(f"the area {code} is not in the English file")
                    region = regions[code] = {
                        "m49": code,
                        "level": level,
                        "parent": parent,
                        "names": {},
                    }
                elif region["parent"] != parent or region["level"] != level:
                    raise row.error(f"the area {code} sits under two different parents")
                region["names"].setdefault(language, name)
                parent = code
            m49 = row.text("M49 Code")
            if len(m49) != 3 or not m49.isdigit():
                raise row.error(f"the M49 code {m49!r} is not three digits")
            if m49 in seen:
                raise row.error(f"the M49 code {m49} appears twice")
            seen.add(m49)
            iso2, iso3 = (
                row.text("ISO-alpha2 Code", required=False),
                row.text("ISO-alpha3 Code", required=False),
            )
            if len(iso2) != 2 or not iso2.isalpha() or len(iso3) != 3 or not iso3.isalpha():
                raise row.error(f"the ISO codes {iso2!r}/{iso3!r} are not alpha-2/alpha-3 codes")
            codes = {
                "region": row.text("Region Code", required=False) or None,
                "sub_region": row.text("Sub-region Code", required=False) or None,
                "intermediate_region": row.text("Intermediate Region Code", required=False) or None,
            }
            flags = {
                "is_ldc": _flag(row, "Least Developed Countries (LDC)"),
                "is_lldc": _flag(row, "Land Locked Developing Countries (LLDC)"),
                "is_sids": _flag(row, "Small Island Developing States (SIDS)"),
            }
            country = countries.get(m49)
            if country is None:
                if language != "en":
                    raise row.error(f"the country or area {m49} is not in the English file")
                country = countries[m49] = {
                    "m49": m49,
                    "iso2": iso2,
                    "iso3": iso3,
                    **codes,
                    **flags,
                    "names": {},
                }
            elif (country["iso2"], country["iso3"]) != (iso2, iso3) or any(
                country[k] != v for k, v in {**codes, **flags}.items()
            ):
                raise row.error(f"the codes or flags of {m49} differ from the English file")
            country["names"][language] = row.text("Country or Area")
        missing = set(countries) - seen
        if missing:
            raise DataFileError(path, None, f"the countries {sorted(missing)} are missing")

    # Codes IATI uses that M49 lacks: each must be decided explicitly in iati_extra_areas.csv.
    iati_path = data_dir / "iati-codelists-2.03/Country.xml"
    iati: dict[str, dict] = {}
    for item in read_xml(iati_path).iterfind("codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        names = {}
        for narrative in item.iterfind("name/narrative"):
            lang = narrative.get("{http://www.w3.org/XML/1998/namespace}lang", "en")
            names[lang] = " ".join((narrative.text or "").split())
        iati[code] = {
            "status": item.get("status", "active"),
            "names": names,
            "line": item.sourceline,
        }
    m49_iso2 = {c["iso2"] for c in countries.values()}
    extras_path = data_dir / "un-m49-country-codes/iati_extra_areas.csv"
    decided: dict[str, dict] = {}
    for row in read_csv(extras_path, columns=["iso2", "decision", "note"]):
        iso2 = row.text("iso2")
        if iso2 in m49_iso2:
            raise row.error(f"{iso2} is in M49 and needs no decision")
        if iso2 not in iati:
            raise row.error(f"{iso2} is not in the IATI Country codelist")
        decided[iso2] = {
            "decision": row.choice("decision", ["load", "skip"]),
            "note": row.text("note"),
        }
    extras = []
    for code, item in iati.items():
        if code in m49_iso2:
            continue
        if code not in decided:
            raise DataFileError(
                iati_path,
                item["line"],
                f"the IATI country code {code} is not in M49; decide it in {extras_path.name}",
            )
        if decided[code]["decision"] == "load":
            if item["status"] != "active":
                raise DataFileError(
                    extras_path, None, f"{code} is withdrawn in IATI and cannot be loaded"
                )
            extras.append({"iso2": code, "names": item["names"], "note": decided[code]["note"]})
    return {"regions": regions, "countries": countries, "extras": extras}


def load(data_dir: Path) -> dict[str, SyncResult]:
    parsed = parse(data_dir)
    regions_result = SyncResult()
    by_code: dict[str, Region] = {}
    for level in [lvl for _prefix, lvl in LEVELS]:  # parents before children
        result, objects = sync_rows(
            Region,
            "m49",
            [
                {
                    "m49": r["m49"],
                    "level": r["level"],
                    "name": r["names"]["en"],
                    "names": r["names"],
                    "parent_id": by_code[r["parent"]].pk if r["parent"] else None,
                }
                for r in parsed["regions"].values()
                if r["level"] == level
            ],
        )
        regions_result += result
        by_code.update(objects)

    def region_id(code):
        return by_code[code].pk if code else None

    rows = [
        {
            "iso2": c["iso2"],
            "iso3": c["iso3"],
            "m49": c["m49"],
            "name": c["names"]["en"],
            "names": c["names"],
            "region_id": region_id(c["region"]),
            "sub_region_id": region_id(c["sub_region"]),
            "intermediate_region_id": region_id(c["intermediate_region"]),
            "is_ldc": c["is_ldc"],
            "is_lldc": c["is_lldc"],
            "is_sids": c["is_sids"],
            "in_m49": True,
            "note": "",
        }
        for c in parsed["countries"].values()
    ]
    for extra in parsed["extras"]:
        rows.append(
            {
                "iso2": extra["iso2"],
                "iso3": None,
                "m49": None,
                "name": extra["names"].get("en", extra["iso2"]),
                "names": extra["names"],
                "region_id": None,
                "sub_region_id": None,
                "intermediate_region_id": None,
                "is_ldc": False,
                "is_lldc": False,
                "is_sids": False,
                "in_m49": False,
                "note": extra["note"],
            }
        )
    countries_result, _ = sync_rows(Country, "iso2", rows)
    return {"regions": regions_result, "countries": countries_result}
