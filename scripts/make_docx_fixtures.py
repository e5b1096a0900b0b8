#!/usr/bin/env python3
"""Build the DOCX test fixtures in tests/data/docx/ from the real reports' text dumps.

Each text dump (tests/data/real/<name>.txt: prose lines, one TAB-led cell per line, rows ended
by a blank line) becomes a Word document as an office suite saves one: prose lines are
paragraphs (`w:p`), tables are `w:tbl` with one `w:tc` per printed cell. A cell merged from the
row above (an empty placeholder before the row's label in the dump) is written as a
`w:vMerge` continuation, and the cell it continues gets `w:vMerge w:val="restart"`; a
one-cell row (a table-2 caption) spans the table's width with `w:gridSpan`. Run from the
repository root: `python3 scripts/make_docx_fixtures.py`. Only the standard library is used;
the output is deterministic (fixed zip timestamps).
"""
import sys
import zipfile
from xml.sax.saxutils import escape

NAMES = ["huaian_shi_2024", "huaian_hongzequ_2023", "huaian_hongzequ_2024"]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def blocks(text):
    """Prose lines and tables (lists of rows of cell texts), as the text-dump reader reads."""
    out, table, row, blank = [], [], [], 0
    for raw in text.split("\n"):
        if raw.startswith("\t"):
            blank = 0
            row.append(raw[1:].strip())
            continue
        if raw.strip() == "":
            blank += 1
            if row:
                table.append(row)
                row = []
            if blank >= 2 and table:
                out.append(("table", table))
                table = []
            continue
        blank = 0
        if row:
            table.append(row)
            row = []
        if table:
            out.append(("table", table))
            table = []
        out.append(("p", raw.strip()))
    if row:
        table.append(row)
    if table:
        out.append(("table", table))
    return out


def para(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def table_xml(rows):
    # Leading empty cells continue the merged cell above in that column.
    merge = []
    for r, row in enumerate(rows):
        lead = 0
        while lead < len(row) and row[lead] == "":
            lead += 1
        merge.append(["continue" if c < lead and r > 0 else None for c in range(len(row))])
    for r, row in enumerate(rows):
        for c, kind in enumerate(merge[r]):
            if kind != "continue":
                continue
            up = r - 1
            while up >= 0 and (c >= len(rows[up]) or merge[up][c] == "continue"):
                up -= 1
            if up >= 0 and merge[up][c] is None:
                merge[up][c] = "restart"
    width = max(len(r) for r in rows)
    xml = ["<w:tbl><w:tblPr><w:tblBorders/></w:tblPr><w:tblGrid>"]
    xml += ["<w:gridCol/>"] * width
    xml.append("</w:tblGrid>")
    for r, row in enumerate(rows):
        xml.append("<w:tr>")
        for c, text in enumerate(row):
            props = []
            if len(row) == 1 and width > 1:
                props.append(f'<w:gridSpan w:val="{width}"/>')
            if merge[r][c] == "restart":
                props.append('<w:vMerge w:val="restart"/>')
            elif merge[r][c] == "continue":
                props.append("<w:vMerge/>")
            xml.append("<w:tc><w:tcPr>" + "".join(props) + "</w:tcPr>")
            xml.append(para(text) if text else "<w:p/>")
            xml.append("</w:tc>")
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


def document(text):
    body = []
    for kind, value in blocks(text):
        body.append(para(value) if kind == "p" else table_xml(value))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>'
        + "".join(body)
        + "<w:sectPr/></w:body></w:document>"
    )


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""


def write(name):
    text = open(f"tests/data/real/{name}.txt", encoding="utf-8").read()
    with zipfile.ZipFile(f"tests/data/docx/{name}.docx", "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", document(text)),
        ]:
            info = zipfile.ZipInfo(part, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


if __name__ == "__main__":
    for n in sys.argv[1:] or NAMES:
        write(n)
