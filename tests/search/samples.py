"""Real PDF and DOCX files with Chinese text, made in memory.

pypdf cannot lay out text, so the PDF is written by hand: the smallest
valid file a Chinese PDF resembles — a Type0 font with Identity-H encoding
and a ToUnicode map (what extractors read), each page a content stream.
"""

import io

import docx
from pypdf import PdfReader, PdfWriter

PHRASE = "涉案商标标识共计三千件"


def pdf(*pages: str | list[str]) -> bytes:
    """A PDF with one page per argument (a line, or a list of lines)."""
    pages = [[p] if isinstance(p, str) else p for p in pages]
    chars = sorted({c for lines in pages for line in lines for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    page_ids = [7 + 2 * i for i in range(len(pages))]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % n for n in page_ids), len(pages)),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
           b"/DescendantFonts [5 0 R] /ToUnicode 4 0 R >>",
        5: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /FontDescriptor 6 0 R "
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        6: b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] "
           b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>",
        4: _stream("\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(chars)} beginbfchar", *(f"<{cid[c]:04X}> <{ord(c):04X}>" for c in chars), "endbfchar",
            "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]).encode()),
    }
    for number, lines in zip(page_ids, pages, strict=True):
        objects[number] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                           b"/Resources << /Font << /F1 3 0 R >> >> >>" % (number + 1))
        shown = [f"<{''.join(f'{cid[c]:04X}' for c in line)}> Tj T*" for line in lines]
        objects[number + 1] = _stream("\n".join(["BT", "/F1 12 Tf", "14 TL", "72 760 Td", *shown, "ET"]).encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def encrypted(data: bytes, *, user_password: str) -> bytes:
    """The PDF encrypted with AES-256; an empty user password leaves it
    readable by anyone (only the owner's permissions are restricted)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_file(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
