#!/usr/bin/env python3
"""Writes the committed bad-input corpus of the ingest tests (standard library only; run once, commit the files).

    python3 tests/NQPF.Pipeline.Tests/Corpus/generate.py

valid/      small well-formed yearbook files: the companion year that every malformed case runs beside, and the seeds
            the fuzz test mutates.
malformed/  one defect per file; malformed/expected.csv (written by hand) says what is wrong with each file and the
            specific message or finding ingest must give. The tests read the committed files, never this script, so
            rerunning it must not change a byte (xlsx entries carry a fixed timestamp).
Every yearbook here is built on the same four cities and five fields; the file name carries the year (2013).
"""
import codecs
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "malformed")
GOOD = os.path.join(HERE, "valid")

HEADER = ["城市", "行政区划代码", "地区生产总值(万元)", "年末户籍人口(万人)", "专利授权量(件)", "建成区绿化覆盖率(%)"]
ROWS = [
    ["北京市", "110000", "230145900", "1345.2", "94031", "48.4"],
    ["石家庄市", "130100", "54406000", "1028.8", "8421", "42.0"],
    ["唐山市", "130200", "61030000", "755.3", "3012", "41.5"],
    ["太原市", "140100", "27353000", "367.4", "5230", "40.1"],
]


def table(header=None, rows=None):
    return [list(header or HEADER)] + [list(r) for r in (rows if rows is not None else ROWS)]


def with_cell(row, col, value, rows=None):
    out = [list(r) for r in (rows if rows is not None else ROWS)]
    out[row][col] = value
    return out


def csv_text(lines, newline="\r\n"):
    def q(c):
        return '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c
    return newline.join(",".join(q(c) for c in line) for line in lines) + newline


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def bad(name, data):
    write(BAD, name, data)


def utf8(text, bom=False):
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


# --- minimal SpreadsheetML writer -----------------------------------------------------------------------------------

def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cell_xml(ref, v):
    """str → inline string; int/float → number; ("e", "#DIV/0!") error; ("b", 1) boolean; ("date", serial) date."""
    if v is None:
        return ""
    if isinstance(v, tuple):
        kind, val = v
        if kind == "e":
            return f'<c r="{ref}" t="e"><v>{esc(val)}</v></c>'
        if kind == "b":
            return f'<c r="{ref}" t="b"><v>{val}</v></c>'
        if kind == "date":
            return f'<c r="{ref}" s="1"><v>{val}</v></c>'
        if kind == "raw":
            return val
        raise ValueError(kind)
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{esc(v)}</t></is></c>'


def sheet_xml(rows, merges=(), dimension=None):
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for i, r in enumerate(rows):
        cells = "".join(cell_xml(f"{col_letter(j)}{i + 1}", v) for j, v in enumerate(r))
        parts.append(f'<row r="{i + 1}">{cells}</row>')
    parts.append("</sheetData>")
    if merges:
        parts.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    parts.append("</worksheet>")
    return "".join(parts)


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')


def xlsx(sheets, extra_parts=None, drop_parts=()):
    """sheets: list of dicts {name, rows, merges, state, xml}. Returns the package bytes (fixed timestamps)."""
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
    wb_sheets, wb_rels = [], []
    files = {}
    for i, s in enumerate(sheets, start=1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        state = f' state="{s["state"]}"' if s.get("state") else ""
        wb_sheets.append(f'<sheet name="{esc(s["name"])}" sheetId="{i}"{state} r:id="rId{i}"/>')
        wb_rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
        files[f"xl/worksheets/sheet{i}.xml"] = s.get("xml") or sheet_xml(s["rows"], s.get("merges", ()), s.get("dimension"))
    n = len(sheets) + 1
    wb_rels.append(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    ct.append("</Types>")
    files["[Content_Types].xml"] = "".join(ct)
    files["_rels/.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                            '</Relationships>')
    files["xl/workbook.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                                '<sheets>' + "".join(wb_sheets) + '</sheets></workbook>')
    files["xl/_rels/workbook.xml.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                           + "".join(wb_rels) + '</Relationships>')
    files["xl/styles.xml"] = STYLES
    files.update(extra_parts or {})
    for p in drop_parts:
        files.pop(p, None)
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files, key=lambda k: (k != "[Content_Types].xml", k)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = files[name]
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def as_numbers(rows):
    """Excel stores numbers as numbers: every data cell after the code column that parses as a float."""
    out = [rows[0]]
    for r in rows[1:]:
        line = []
        for j, c in enumerate(r):
            if j >= 2 and isinstance(c, str):
                try:
                    f = float(c)
                    line.append(int(f) if f.is_integer() and "." not in c else f)
                    continue
                except ValueError:
                    pass
            line.append(c)
        out.append(line)
    return out


def book(rows, name="Sheet1", **kw):
    return xlsx([dict(name=name, rows=as_numbers(rows), **kw)])


# --- valid seeds ----------------------------------------------------------------------------------------------------

def valid():
    write(GOOD, "csy_2012.csv", utf8(csv_text(table(rows=[
        ["北京市", "110000", "203200000", "1297.5", "50511", "46.2"],
        ["石家庄市", "130100", "43000000", "1005.7", "6203", "41.0"],
        ["唐山市", "130200", "57620000", "748.1", "2561", "40.9"],
        ["太原市", "140100", "23112000", "362.4", "4475", "39.4"],
    ])), bom=True))
    title = ["2014年 中国城市统计年鉴（模拟）", "", "", "", "", ""]
    units = ["", "", "万元", "万人", "件", "%"]
    rows = [title, [""] * 6, ["城市", "行政区划代码", "地区生产总值", "年末户籍人口", "专利授权量", "建成区绿化覆盖率"], units,
            ["北京市", "110000", 213309000, 1333.4, 74661, 47.4],
            ["河北省", "", None, None, None, None],
            ["石家庄", "130100", 51002000, 1016.4, 7420, 41.6],
            ["唐山", "130200", "6,225,000", 752.0, 2800, "—"],
            ["太原市", "140100", 25313000, 366.9, 4811, 40.0],
            ["注：数据为模拟。", "", "", "", "", ""]]
    district = [["城市", "行政区划代码", "地区生产总值(市辖区)(万元)", "年末户籍人口(市辖区)(万人)", "行政区域土地面积(市辖区)(平方公里)"],
                ["石家庄市", "130100", 30200000, 287.1, 2206], ["唐山市", "130200", 32000000, 332.0, 3874]]
    write(GOOD, "csy_2014.xlsx", xlsx([dict(name="全市", rows=rows), dict(name="市辖区", rows=district)]))


# --- malformed cases ------------------------------------------------------------------------------------------------

def containers():
    bad("empty-2013.csv", b"")
    bad("empty-2013.xlsx", b"")
    bad("blank-lines-only-2013.csv", b"\r\n\n   \r\n\t\n")
    good = book(table())
    bad("truncated-half-2013.xlsx", good[: len(good) // 2])
    bad("truncated-header-only-2013.xlsx", good[:30])
    bad("truncated-last-byte-2013.xlsx", good[:-1])
    bad("csv-renamed-2013.xlsx", utf8(csv_text(table())))
    bad("html-table-as-2013.xls", utf8("<html><body><table><tr><td>城市</td><td>地区生产总值(万元)</td></tr>"
                                        "<tr><td>北京市</td><td>230145900</td></tr></table></body></html>"))
    bad("pdf-renamed-2013.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
    bad("zip-without-workbook-2013.xlsx", xlsx([dict(name="Sheet1", rows=table())], drop_parts=("xl/workbook.xml",)))
    bad("sheet-xml-malformed-2013.xlsx", xlsx([dict(name="Sheet1", xml='<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>城市</t></is></c><row></sheetData>')]))
    # Flip bytes inside the compressed data of the sheet part: the CRC no longer matches.
    b = bytearray(good)
    at = b.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40
    for k in range(at, at + 16):
        b[k] ^= 0x5A
    bad("deflate-corrupt-2013.xlsx", bytes(b))
    bad("ole-header-garbage-2013.xls", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(range(256)) * 4)
    bad("shared-string-out-of-range-2013.xlsx", xlsx([dict(name="Sheet1", xml=sheet_xml([["城市", ("raw", '<c r="B1" t="s"><v>9999</v></c>')]]))]))
    bad("no-sheets-2013.xlsx", xlsx([]))
    bad("cell-ref-beyond-xfd-2013.xlsx", xlsx([dict(name="Sheet1", xml=sheet_xml(as_numbers(table()) + [["唐山市", ("raw", '<c r="ZZZZZZ9"><v>1</v></c>')]]))]))
    bad("dimension-xfd-2013.xlsx", book(table(), dimension="A1:XFD1048576"))
    bad("cell-too-long-2013.csv", utf8(csv_text(table(rows=with_cell(1, 0, "x" * 32800)))))


def encodings():
    text = csv_text(table())
    gbk_row = "唐山市,130200,61030000,755.3,3012,41.5\r\n".encode("gbk")
    lines = text.encode("utf-8").split(b"\r\n")
    mixed = b"\r\n".join(lines[:3]) + b"\r\n" + gbk_row + b"\r\n".join(lines[4:])
    bad("gbk-row-in-utf8-bom-2013.csv", codecs.BOM_UTF8 + mixed)
    bad("gbk-row-in-utf8-2013.csv", mixed)
    bad("utf16le-no-bom-2013.csv", text.encode("utf-16-le"))
    bad("utf16be-no-bom-2013.csv", text.encode("utf-16-be"))
    bad("utf32le-bom-2013.csv", codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    bad("big5-2013.csv", csv_text(table(rows=[["臺北市", "710000", "100", "200", "300", "40"]] + ROWS)).encode("big5", errors="replace"))
    bad("invalid-bytes-2013.csv", text.encode("utf-8")[:60] + b"\x81\x20\xff\xfe" + text.encode("utf-8")[60:])
    bad("double-utf8-bom-2013.csv", codecs.BOM_UTF8 + codecs.BOM_UTF8 + text.encode("utf-8"))
    bad("bom-mid-file-2013.csv", text.encode("utf-8") + codecs.BOM_UTF8 + csv_text(table(rows=[["太原市", "140100", "1", "1", "1", "1"]])).encode("utf-8"))
    bad("nul-bytes-2013.csv", text.encode("utf-8").replace(b"755.3", b"75\x005.3"))


def line_endings_and_quotes():
    lines = table()
    mixed = ",".join(lines[0]) + "\r\n" + ",".join(lines[1]) + "\n" + ",".join(lines[2]) + "\r" + ",".join(lines[3]) + "\r\n" + ",".join(lines[4]) + "\n"
    bad("crlf-lf-cr-mix-2013.csv", utf8(mixed))
    bad("quote-never-closed-2013.csv", utf8(csv_text(table())[:-2] + ',"未完'))
    bad("quote-spans-rows-2013.csv", utf8(csv_text(table(rows=with_cell(1, 2, '"54406000'))) .replace('"""54406000"', '"54406000').replace("太原市,140100", 'x"太原市,140100')))
    bad("stray-quote-in-name-2013.csv", utf8(csv_text(table()).replace("唐山市", 'ta"ng"山市', 1)))
    bad("semicolon-decimal-comma-2013.csv", utf8("\r\n".join(";".join(r) for r in table(rows=[[c.replace(".", ",") for c in r] for r in ROWS])) + "\r\n"))
    bad("ragged-rows-2013.csv", utf8("\r\n".join(",".join(r) for r in [HEADER, ROWS[0][:3], ROWS[1] + ["99", "extra"], ROWS[2], ROWS[3][:1]]) + "\r\n"))


def headers():
    bad("no-header-row-2013.csv", utf8(csv_text(ROWS)))
    bad("header-only-2013.csv", utf8(csv_text([HEADER])))
    bad("header-below-search-window-2013.csv", utf8(csv_text([["说明第%d行" % i, "", "", "", "", ""] for i in range(1, 25)] + table())))
    bad("missing-city-column-2013.csv", utf8(csv_text([HEADER[2:]] + [r[2:] for r in ROWS])))
    bad("too-few-known-fields-2013.csv", utf8(csv_text([["城市", "地区生产总值(万元)", "甲指标", "乙指标"]] + [[r[0], r[2], "1", "2"] for r in ROWS])))
    bad("duplicate-field-columns-2013.csv", utf8(csv_text([HEADER + ["GDP(万元)"]] + [r + ["1"] for r in ROWS])))
    bad("unknown-unit-in-header-2013.csv", utf8(csv_text(table(header=HEADER[:2] + ["地区生产总值(万美元)"] + HEADER[3:]))))
    bad("scope-not-allowed-2013.csv", utf8(csv_text([HEADER + ["专利授权量(市辖区)(件)"]] + [r + ["10"] for r in ROWS])))
    bad("unit-row-garbage-2013.csv", utf8(csv_text([HEADER[:2] + ["地区生产总值", "年末户籍人口", "专利授权量", "建成区绿化覆盖率"],
                                                     ["", "", "萬元?", "人口", "kg", "???"]] + ROWS)))
    bad("unit-row-wrong-unit-2013.csv", utf8(csv_text([HEADER[:2] + ["地区生产总值", "年末户籍人口", "专利授权量", "建成区绿化覆盖率"],
                                                        ["", "", "万美元", "万人", "件", "%"]] + ROWS)))
    merged = [["城市", "行政区划代码", "主要指标", None, None, None],
              [None, None, "地区生产总值(万元)", "年末户籍人口(万人)", "专利授权量(件)", "建成区绿化覆盖率(%)"]] + ROWS
    bad("merged-header-cells-2013.xlsx", book(merged, merges=("A1:A2", "B1:B2", "C1:F1")))
    scope = [["城市", "行政区划代码", "全市", None, "市辖区", None],
             [None, None, "地区生产总值(万元)", "年末户籍人口(万人)", "地区生产总值(万元)", "年末户籍人口(万人)"],
             ["唐山市", "130200", "61030000", "755.3", "32000000", "332.0"], ["太原市", "140100", "27353000", "367.4", "20000000", "290.1"]]
    bad("merged-scope-header-2013.xlsx", book(scope, merges=("A1:A2", "B1:B2", "C1:D1", "E1:F1")))


def values():
    def case(name, row, col, value):
        bad(name, utf8(csv_text(table(rows=with_cell(row, col, value)))))
    case("text-in-numeric-2013.csv", 1, 2, "约5440万")
    case("negative-population-2013.csv", 2, 3, "-755.3")
    case("gigantic-1e308-2013.csv", 0, 2, "1e308")
    case("overflow-1e999-2013.csv", 3, 4, "1e999")
    case("nan-text-2013.csv", 1, 4, "NaN")
    case("infinity-text-2013.csv", 2, 2, "-Infinity")
    case("infinity-symbol-2013.csv", 3, 3, "∞")
    case("percent-over-100-2013.csv", 0, 5, "148.4")
    case("indian-grouping-2013.csv", 1, 2, "5,44,06,000")
    case("hex-number-2013.csv", 2, 4, "0x0BC4")
    case("two-decimal-points-2013.csv", 3, 3, "367.4.1")
    case("excel-error-text-2013.csv", 0, 4, "#DIV/0!")
    case("formula-text-2013.csv", 1, 3, "=SUM(D2:D3)")
    bad("excel-error-cell-2013.xlsx", book(table(rows=with_cell(2, 2, ("e", "#REF!")))))
    bad("date-in-numeric-2013.xlsx", book(table(rows=with_cell(1, 3, ("date", 41456)))))
    bad("boolean-in-numeric-2013.xlsx", book(table(rows=with_cell(3, 4, ("b", 1)))))
    bad("yi-yuan-overflow-2013.csv", utf8(csv_text(table(header=HEADER[:2] + ["地区生产总值(亿元)"] + HEADER[3:], rows=with_cell(0, 2, "1.7e308")))))


def years_and_cities():
    yh = HEADER[:2] + ["年份"] + HEADER[2:]
    yr = [r[:2] + ["2013"] + r[2:] for r in ROWS]
    yr[2][2] = "2014"
    bad("year-column-disagrees-2013.csv", utf8(csv_text([yh] + yr)))
    yr2 = [r[:2] + ["2013"] + r[2:] for r in ROWS]
    yr2[1][2] = "二〇一三"
    bad("year-column-not-a-year-2013.csv", utf8(csv_text([yh] + yr2)))
    bad("no-year-in-file-name.csv", utf8(csv_text(table())))
    bad("two-years-in-name-2012-2013.csv", utf8(csv_text(table())))
    bad("same-year-as-companion-2012.csv", utf8(csv_text(table())))
    bad("unknown-city-2013.csv", utf8(csv_text(table(rows=ROWS + [["不存在市", "", "100000", "50", "10", "30"]]))))
    bad("total-row-2013.csv", utf8(csv_text(table(rows=ROWS + [["全国合计", "", "372900000", "3497", "110664", "44"]]))))
    bad("duplicate-city-conflicting-2013.csv", utf8(csv_text(table(rows=ROWS + [["唐山", "", "61030001", "755.3", "3012", "41.5"]]))))
    bad("duplicate-city-identical-2013.csv", utf8(csv_text(table(rows=ROWS + [ROWS[2]]))))
    bad("code-name-disagree-2013.csv", utf8(csv_text(table(rows=with_cell(1, 1, "130200")))))
    bad("city-name-blank-with-values-2013.csv", utf8(csv_text(table(rows=with_cell(3, 0, "", with_cell(3, 1, ""))))))
    bad("formula-city-names-2013.csv", utf8(csv_text(table(rows=ROWS + [['=HYPERLINK("http://example.invalid","北京")', "", "1", "1", "1", "1"],
                                                                  ["@SUM(1+1)*cmd|' /C calc'!A0", "", "1", "1", "1", "1"]]))))
    bad("city-before-it-existed-2011.csv", utf8(csv_text(table(rows=ROWS + [["三沙市", "460300", "10000", "0.2", "0", "30"]]))))


def sheets():
    bad("empty-sheet-2013.xlsx", xlsx([dict(name="Sheet1", rows=[])]))
    bad("blank-cells-sheet-2013.xlsx", xlsx([dict(name="Sheet1", rows=[[None, ""], ["", " "]])]))
    cover = [["中国城市统计年鉴 2013"], ["目录"], ["表1 地级及以上城市主要指标 …… 第2页"]]
    bad("data-on-second-sheet-only-2013.xlsx", xlsx([dict(name="封面", rows=cover), dict(name="表1", rows=as_numbers(table()))]))
    old = with_cell(2, 2, "59990000")
    bad("hidden-sheet-2013.xlsx", xlsx([dict(name="全市", rows=as_numbers(table())),
                                       dict(name="旧数据", rows=as_numbers(table(rows=old)), state="hidden")]))
    bad("header-only-sheet-2013.xlsx", xlsx([dict(name="Sheet1", rows=[HEADER])]))


def targets():
    th = ["地区", "行政区划代码", "级别", "年份", "经济增长目标(%)", "目标表述"]
    bad("targets-text-value-2013.csv", utf8(csv_text([th, ["北京市", "110000", "省", "2013", "8左右", "8%左右"],
                                                      ["石家庄市", "130100", "市", "2013", "9.0", "9%以上"]])))
    bad("targets-unknown-province-2013.csv", utf8(csv_text([th, ["火星省", "", "省", "2013", "7.0", "7%左右"],
                                                            ["石家庄市", "130100", "市", "2013", "9.0", "9%以上"]])))


def compound_file(streams):
    """A minimal OLE compound file (CFB v3, 512-byte sectors) holding the given streams under the root storage; each
    stream is padded to at least 4096 bytes (the mini-stream cutoff) so no mini stream is needed."""
    import struct
    sector = 512
    streams = [(name, data + b"\0" * max(0, 4096 - len(data))) for name, data in streams]
    fat, chains, next_sector = [0xFFFFFFFD, 0xFFFFFFFE], [], 2
    for _, data in streams:
        count = -(-len(data) // sector)
        chains.append(next_sector)
        fat += [next_sector + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
        next_sector += count
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = (bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108)

    def entry(name, kind, left, right, child, start, size):
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (raw + b"\0" * (64 - len(raw)) + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))
    none = 0xFFFFFFFF
    # Siblings form a tree ordered by name length: the shorter name is the root's child, the longer its right sibling.
    directory = entry("Root Entry", 5, none, none, 1, 0xFFFFFFFE, 0)
    for i, (name, data) in enumerate(streams):
        directory += entry(name, 2, none, i + 2 if i + 1 < len(streams) else none, none, chains[i], len(data))
    directory += b"\0" * (sector * -(-len(directory) // sector) - len(directory))
    body = b"".join(data + b"\0" * (-len(data) % sector) for _, data in streams)
    return header + struct.pack("<128I", *fat) + directory + body


def encrypted():
    """What Excel writes for a password-protected workbook: the encrypted package inside a compound file (agile
    encryption descriptor; the ciphertext here is random bytes, as no password could open it)."""
    import random
    rnd = random.Random(20251129)
    info = (bytes([4, 0, 4, 0, 0x40, 0, 0, 0]) + (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" blockSize="16" keyBits="256" '
        'hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey spinCount="100000" '
        'saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        'saltValue="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" '
        'encryptedVerifierHashValue="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==" '
        'encryptedKeyValue="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="/></keyEncryptor></keyEncryptors></encryption>').encode("utf-8"))
    package = (4608).to_bytes(8, "little") + bytes(rnd.randrange(256) for _ in range(4608))
    bad("password-protected-2013.xlsx", compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)]))


if __name__ == "__main__":
    os.makedirs(BAD, exist_ok=True)
    os.makedirs(GOOD, exist_ok=True)
    valid()
    containers()
    encodings()
    line_endings_and_quotes()
    headers()
    values()
    years_and_cities()
    sheets()
    targets()
    encrypted()
    print(len([f for f in os.listdir(BAD) if f != "expected.csv"]), "malformed files")
