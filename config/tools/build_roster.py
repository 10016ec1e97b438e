#!/usr/bin/env python3
"""Builds config/cities.csv and config/city_changes.csv from the reference lists.

Run from the repository root:  python3 config/tools/build_roster.py [SOURCES]
English names need the Unicode Han database (Debian: apt-get install unicode-data, which ships
/usr/share/unicode/Unihan_Readings.txt.bz2): pinyin comes from its kMandarin readings plus the overrides below.
SOURCES defaults to config/sources (the reference lists it reads, copied there with their provenance).
The sample rule it applies is the one stated in config/sample.json (read here, so the two cannot drift);
CityRoster/SampleRule in stages/NQPF.Stages/Common re-apply it at run time and a test checks they agree.
"""
import bz2, csv, glob, json, sys, os, unicodedata

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(out, "sources")
fier = os.path.join(ref, "fiersity")

def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))

pref = rows(os.path.join(ref, "prefecture_cities.csv"))
changes = rows(os.path.join(ref, "prefecture_changes_2010_2022.csv"))
central = {r["admin_code"]: r for r in rows(os.path.join(ref, "central_cities.csv"))}
resource = {r["admin_code"]: r for r in rows(os.path.join(ref, "resource_based_cities.csv"))}
sample = json.load(open(os.path.join(out, "sample.json"), encoding="utf-8"))

# FIERsity entity ids map to our codes through their legacy id "E<code>".
xwalk = {r["entity_id"]: r["legacy_entity_id"][1:] for r in rows(os.path.join(fier, "entity_id_crosswalk.csv"))
         if r["legacy_entity_id"].startswith("E")}
names_by_code = {}
for r in rows(os.path.join(fier, "entity_names.csv")):
    code = xwalk.get(r["entity_id"])
    if code:
        names_by_code.setdefault(code, []).append((r["name_zh"], int(r["start_year"]), int(r["end_year"])))
# The legal roster (one row per entity and year 2000-2024) gives each unit's years at prefecture level; its entity ids
# map to our codes like the names above (municipalities by their city-proper code, E110100 -> 110000).
def our_code(entity_id):
    code = xwalk.get(entity_id, "")
    return code[:2] + "0000" if code in ("110100", "120100", "310100", "500100") else code

legal_years, legal_names = {}, {}
for r in rows(os.path.join(fier, "legal_roster_2000_2024.csv")):
    code = our_code(r["entity_id"])
    if r["status"] == "active":
        legal_years.setdefault(code, []).append(int(r["year"]))
        legal_names.setdefault(code, [])
        if r["legal_name_zh"] not in legal_names[code]:
            legal_names[code].append(r["legal_name_zh"])
events = [e for e in rows(os.path.join(fier, "events_2000_2026.csv")) if int(e["年份"]) < 2010]

manual_alias = {}
for r in rows(os.path.join(fier, "aliases.csv")):
    if r["alias_type"] in ("manual_alias", "ocr_variant", "common_abbreviation"):
        code = xwalk.get(r["entity_id"])
        if code:
            manual_alias.setdefault(code, []).append(r["alias"])

ETHNIC = ["土家族", "苗族", "侗族", "布依族", "彝族", "哈尼族", "壮族", "傣族", "白族", "景颇族", "傈僳族", "藏族",
          "羌族", "回族", "朝鲜族", "蒙古族", "柯尔克孜", "哈萨克", "纳西族"]

def short_name(name, level):
    if level == "自治州":
        stem = name[: -len("自治州")]
        cut = min([stem.find(t) for t in ETHNIC if stem.find(t) > 0] or [len(stem)])
        return stem[:cut]
    for suffix in ("地区", "盟", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name

# English names. The yearbooks print a city's conventional spelling: pinyin without tones for most, with an apostrophe
# before a syllable starting with a/o/e (Xi'an, Lu'an), and the established non-pinyin name for many minority-area
# cities. Pinyin is read from Unihan kMandarin (the most common reading of a character), which is wrong for place-name
# heteronyms, so READING fixes single characters and ENGLISH whole names; the generated pinyin stays an accepted
# variant wherever an override changes it (some data sets print Huhehaote, Wulumuqi).
UNIHAN = "/usr/share/unicode/Unihan_Readings.txt.bz2"
READING = {
    "长": "chang",  # 长春 长沙 长治: place names read cháng (kMandarin zhǎng)
    "重": "chong",  # 重庆 (kMandarin zhòng)
    "厦": "xia",    # 厦门 (kMandarin shà)
    "蚌": "beng",   # 蚌埠 (kMandarin bàng)
    "都": "du",     # 成都 (kMandarin dōu)
    "佛": "fo",     # 佛山 (kMandarin fú)
    "勒": "le",     # 锡林郭勒 阿勒泰 克孜勒苏 (kMandarin lēi)
    "什": "shi",    # 喀什 (kMandarin shén)
    "番": "fan",    # 吐鲁番 (place reading fān)
    "乐": "le",     # 乐山 (kMandarin lè is right; pinned because 乐 is also yuè)
    "丽": "li",     # 丽水 丽江 (lí/lì, never the lì of 高丽 read as li anyway; pinned)
    "朝": "chao",   # 朝阳 (cháo, not zhāo)
    "单": "shan",   # 单县 (county): shàn, not dān
}
ENGLISH = {  # stem -> (conventional English name, extra accepted variants)
    "六安": ("Lu'an", ["Liu'an"]),
    "呼和浩特": ("Hohhot", []), "鄂尔多斯": ("Ordos", []), "呼伦贝尔": ("Hulunbuir", []),
    "巴彦淖尔": ("Bayannur", []), "乌兰察布": ("Ulanqab", []), "兴安": ("Hinggan", []), "锡林郭勒": ("Xilingol", []),
    "阿拉善": ("Alxa", []), "哈尔滨": ("Harbin", []), "齐齐哈尔": ("Qiqihar", []), "大兴安岭": ("Da Hinggan Ling", []),
    "拉萨": ("Lhasa", []), "日喀则": ("Shigatse", ["Xigaze"]), "昌都": ("Qamdo", ["Changdu"]), "林芝": ("Nyingchi", []),
    "山南": ("Shannan", ["Lhoka"]), "那曲": ("Nagqu", []), "阿里": ("Ngari", []),
    "乌鲁木齐": ("Urumqi", []), "克拉玛依": ("Karamay", []), "吐鲁番": ("Turpan", []), "哈密": ("Hami", ["Kumul"]),
    "博尔塔拉": ("Bortala", []), "巴音郭楞": ("Bayingolin", []), "阿克苏": ("Aksu", []), "克孜勒苏": ("Kizilsu", []),
    "喀什": ("Kashgar", []), "和田": ("Hotan", []), "伊犁": ("Ili", []), "阿勒泰": ("Altay", []),
    "果洛": ("Golog", []), "甘孜": ("Garze", []), "阿坝": ("Aba", ["Ngawa"]),
}

def mandarin():
    table = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kMandarin":
                table[chr(int(parts[0][2:], 16))] = parts[2].split()[0]
    return table

MANDARIN = mandarin()

UMLAUT = "üǖǘǚǜ"

def toneless(syllable):
    return "".join(c for c in unicodedata.normalize("NFD", syllable) if unicodedata.category(c) != "Mn")

def pinyin(stem):
    syllables = [READING.get(ch) or MANDARIN[ch] for ch in stem]
    out = [toneless(s) for s in syllables]
    text = out[0] + "".join(("'" if s[0] in "aoe" else "") + s for s in out[1:])
    return text[0].upper() + text[1:], any(ch in s for s in syllables for ch in UMLAUT)

def english(stem):
    """Conventional English name and accepted variants (generated pinyin, ü written as v)."""
    stem = stem.removesuffix("蒙古")  # 博尔塔拉蒙古自治州: the ethnic name is not part of the place name
    generated, umlaut = pinyin(stem)
    name, extra = ENGLISH.get(stem, (generated, []))
    variants = [v for v in extra + [generated] if v != name]
    if umlaut:
        syllables = [READING.get(ch) or MANDARIN[ch] for ch in stem]
        v = "".join(toneless("".join("v" if ch in UMLAUT else ch for ch in s)) for s in syllables)
        variants.append(v[0].upper() + v[1:])
    return name, list(dict.fromkeys(variants))

def first_data_year(r):
    return min(legal_years[r["admin_code"]])

# Last data year: a unit abolished by a year-end decision still reports that year (莱芜: approved 2018-12-26).
LAST_DATA_YEAR = {"371200": 2018}

rule = sample["Rule"]
first, last = sample["FirstYear"], sample["LastYear"]
out_rows = []
provinces_by_prefix = {r["province_code"][:2]: (r["province"], r["province_code"]) for r in pref}
for r in pref:
    code, name, level = r["admin_code"], r["name"], r["unit_type"]
    valid_from = first_data_year(r)
    valid_to = LAST_DATA_YEAR.get(code, max(legal_years[code]))
    former = []
    if r["former_name"]:
        former.append(r["former_name"])
    from_events = [e["原单位"] for e in events if e["新单位"] == name and e["原单位"]]
    for n in [n for (n, s, e) in names_by_code.get(code, [])] + legal_names.get(code, []) + from_events:
        if n and n != name and n not in former:
            former.append(n)
    # converted units were a 地区 (or county-level) until the change, made during the year of the year-end table:
    # city_from is their first full year as a prefecture-level city.
    city_from = valid_from
    for c in changes:
        if c["new_code"] == code and c["change_type"] in ("地区->地级市", "county-level -> prefecture-level",
                                                          "new prefecture-level city"):
            city_from = max(valid_from, int(c["year_end_table"]) + 1)
    for e in events:
        if e["新单位"] == name and e["新层级/类型"] == "地级市" and e["原层级/类型"] in ("地区", "盟", "县级市", "县"):
            city_from = max(city_from, int(e["年份"]) + 1)
    aliases = []
    sn = short_name(name, level)
    for a in [sn] + ([sn + "州"] if level == "自治州" else []) + manual_alias.get(code, []):
        if a != name and a not in aliases:
            aliases.append(a)
    for f in list(former):
        fs = short_name(f, "地区" if f.endswith("地区") else "市")
        if fs != f and fs not in former and fs != sn:
            former.append(fs)
    province = r["province"]
    reason = ""
    if level not in rule["Levels"]:
        reason = f"level: {level} (the yearbook's city tables cover 直辖市 and 地级市 only)"
    elif valid_to < last or valid_from > first or city_from > first:
        if valid_to < last:
            reason = f"continuity: abolished/merged during the period (last data year {valid_to})"
        elif valid_from > first:
            reason = f"continuity: became a prefecture-level city only in {valid_from}"
        else:
            reason = f"continuity: converted from 地区 to 地级市 in {city_from - 1} (not a city for all of {first}-{last})"
    elif province in rule["ExcludeProvinces"]:
        reason = f"province: {province} ({rule['ExcludeProvincesReason']})"
    elif code in rule["ExcludeCities"]:
        reason = rule["ExcludeCities"][code]
    rt = resource.get(code, {}).get("resource_type", "")
    out_rows.append({
        "code": code, "name": name, "short_name": sn, "province": province,
        "province_code": r["province_code"], "level": level,
        "capital": r["is_provincial_capital"], "sub_provincial": r["is_sub_provincial"],
        "planned": r["is_separately_planned"], "central": "1" if code in central else "0",
        "resource_type": rt, "former_names": "|".join(former), "former_codes": r["former_code"],
        "aliases": "|".join(aliases), "name_en": english(sn)[0], "name_en_variants": "|".join(english(sn)[1]),
        "valid_from": str(valid_from), "valid_to": str(valid_to), "city_from": str(city_from),
        "in_sample": "0" if reason else "1", "exclusion_reason": reason,
        "source": r["source"] + ("; resource type: " + resource[code]["source"].split(";")[0] if rt else "")
                  + "; aliases/name validity: FIERsity/china-prefecture-crosswalk (CC BY 4.0)",
        "confidence": r["confidence"],
    })

# Units of the legal roster that no 2010-2022 code table has (伊犁地区, abolished in 2001 and folded into 伊犁哈萨克
# 自治州, a different unit): kept as their own out-of-sample units so their name never matches the autonomous
# prefecture. The short name stays the full name when the stem is another unit's short name (伊犁 is 伊犁州's).
EVENT_SOURCE = "FIERsity/china-prefecture-crosswalk legal_roster_2000_2024.csv and events_2000_2026.csv (CC BY 4.0)"
known = {r["code"] for r in out_rows}
for code, years in sorted(legal_years.items()):
    if code in known:
        continue
    name = legal_names[code][0]
    level = "地区" if name.endswith("地区") else "盟" if name.endswith("盟") else "地级市"
    sn = short_name(name, level)
    sn = name if any(o["short_name"] == sn for o in out_rows) else sn
    en = english(short_name(name, level))
    out_rows.append({**{k: "" for k in out_rows[0]}, "code": code, "name": name, "short_name": sn,
                     "province": provinces_by_prefix[code[:2]][0],
                     "province_code": code[:2] + "0000", "level": level, "capital": "0", "sub_provincial": "0",
                     "planned": "0", "central": "0", "name_en": en[0], "name_en_variants": "|".join(en[1]),
                     "valid_from": str(min(years)), "valid_to": str(max(years)), "city_from": str(min(years)),
                     "in_sample": "0", "exclusion_reason": f"level: {level} (the yearbook's city tables cover 直辖市 and 地级市 only)",
                     "source": EVENT_SOURCE + f"; MCA code {code}", "confidence": "high"})

cols = list(out_rows[0].keys())
with open(os.path.join(out, "cities.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
    w.writeheader(); w.writerows(out_rows)

# city_changes.csv: the name/code history used for matching by year.
# old_name_until: last data year the old name/code may appear (through the year of the change: in that year's
# yearbook either may be printed); new_name_from: first data year of the new name/code.
ch_cols = ["year", "old_code", "old_name", "new_code", "new_name", "change_type", "old_name_until", "new_name_from",
           "note", "source", "confidence"]
ch_rows = []
for c in changes:
    y = int(c["year_end_table"])
    until = LAST_DATA_YEAR.get(c["old_code"], y)
    ch_rows.append({"year": str(y), "old_code": c["old_code"], "old_name": c["old_name"], "new_code": c["new_code"],
                    "new_name": c["new_name"], "change_type": c["change_type"], "old_name_until": str(until),
                    "new_name_from": str(y), "note": c["note"], "source": c["source"], "confidence": c["confidence"]})
# 2000-2009 conversions and renames (old codes are not in the source: left blank), and the abolition of 伊犁地区.
current = {r["name"]: r["code"] for r in out_rows}
by_name = dict(current)
for r in out_rows:
    for n in r["former_names"].split("|"):
        by_name.setdefault(n, r["code"]) if n else None
for e in events:
    old, new = e["原单位"], e["新单位"]
    if (old, new) == ("思茅市", "普洱市") or not old or old not in current and not new:
        continue
    y = int(e["年份"])
    abolished = not new  # the old unit is a unit of its own (伊犁地区): its code and last year are known
    new_code = by_name.get(new) or ("654000" if old == "伊犁地区" else "")
    ch_rows.append({"year": str(y), "old_code": current[old] if abolished else "", "old_name": old, "new_code": new_code,
                    "new_name": new or "伊犁哈萨克自治州", "change_type": e["事件类型"],
                    "old_name_until": str(max(legal_years[current[old]]) if abolished else y), "new_name_from": str(y),
                    "note": f"{e['批准机关']} {e['批复文号']} {e['批准日期']}".strip(), "source": EVENT_SOURCE,
                    "confidence": {"高": "high", "中": "medium", "低": "low"}.get(e["置信度"], e["置信度"])})
ch_rows.append({"year": "2007", "old_code": "530800", "old_name": "思茅市", "new_code": "530800", "new_name": "普洱市",
                "change_type": "rename", "old_name_until": "2007", "new_name_from": "2007",
                "note": "国函〔2007〕1号; before the study window, kept for matching old files",
                "source": "FIERsity/china-prefecture-crosswalk entity_names.csv (CC BY 4.0)", "confidence": "high"})
with open(os.path.join(out, "city_changes.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=ch_cols, lineterminator="\n")
    w.writeheader(); w.writerows(ch_rows)

# county_units.csv: every county-level unit (county-level city, county, district, banner) of the MCA year-end code
# tables in sources/areacodes/<year>.txt, with its prefecture code and the years it is listed. A unit in the first
# table (2009) is taken back to 2000 and one in the last table (2022) forward to 2024, the roster's span: ingest uses
# the list only to recognise a row that matches no prefecture in its year as a county-level row.
PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
tables = sorted(glob.glob(os.path.join(ref, "areacodes", "[0-9][0-9][0-9][0-9].txt")))
years_listed = [int(os.path.basename(t)[:4]) for t in tables]
spans = {}
for path, year in zip(tables, years_listed):
    with open(path, encoding="utf-8") as f:
        for line in f:
            code, _, name = line.strip().partition(" ")
            if len(code) == 6 and not code.endswith("00") and name and name not in PSEUDO:
                spans.setdefault((code, name), [year, year])[1] = year
with open(os.path.join(out, "county_units.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "name", "prefecture_code", "first_year", "last_year"])
    for (code, name), (a, b) in sorted(spans.items()):
        w.writerow([code, name, code[:4] + "00", 2000 if a == years_listed[0] else a, 2024 if b == years_listed[-1] else b])
print(f"{len(spans)} county-level units")

n = sum(1 for r in out_rows if r["in_sample"] == "1")
print(f"{len(out_rows)} units, {n} in sample")
from collections import Counter
print(Counter(r["exclusion_reason"].split(":")[0] for r in out_rows if r["in_sample"] == "0"))
