"""Reading the text of PDF and DOCX files: what is kept, how it is cleaned,
the caps, and files that cannot be read (never an exception)."""

import io
import zipfile

import pytest

from search import extraction
from search.extraction import clean, extract

from .samples import PHRASE, docx_file, encrypted, pdf


def test_pdf_text_of_every_page():
    result = extract("pdf", io.BytesIO(pdf(PHRASE, ["第二页", "当事人：宜昌某商贸有限公司"])))
    assert result.status == "ok" and not result.truncated
    assert PHRASE in result.text and "宜昌某商贸有限公司" in result.text


def test_docx_paragraphs_and_tables():
    result = extract("docx", io.BytesIO(docx_file("询问笔录", PHRASE, table=[["品名", "稻花香白酒"], ["数量", "120箱"]])))
    assert result.status == "ok"
    assert result.text.split("\n") == ["询问笔录", PHRASE, "品名", "稻花香白酒", "数量", "120箱"]


def test_text_is_cleaned():
    # NUL and other controls, invisible characters, a lone surrogate and a
    # private-use glyph go; Kangxi radicals (⼀) become the ideograph (一);
    # layout spaces and breaks between Chinese characters close up.
    raw = "涉案\x00商标\u200b标识 共计\n三千件\x1b ⼀批\ud800\ue000  \t Ｂ货 \r\n\n\n 第二段  end"
    assert clean(raw) == "涉案商标标识共计三千件一批 B货\n第二段 end"


@pytest.mark.parametrize("content", [b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", b"%PDF-1.7\n" + b"\xff" * 500,
                                     b""])
def test_damaged_pdf_gives_no_text(content):
    assert extract("pdf", io.BytesIO(content)) == extraction.Extracted("", "unreadable")


def test_damaged_docx_gives_no_text():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<x/>")
    assert extract("docx", archive).status == "unreadable"
    assert extract("docx", io.BytesIO(b"PK\x03\x04 not really a zip")).status == "unreadable"


def test_pdf_without_text_is_empty():
    assert extract("pdf", io.BytesIO(pdf([]))) == extraction.Extracted("", "empty")


def test_encrypted_pdf():
    locked = encrypted(pdf(PHRASE), user_password="secret")
    assert extract("pdf", io.BytesIO(locked)) == extraction.Extracted("", "encrypted")
    # Only the owner's permissions restricted: anyone may open it.
    assert extract("pdf", io.BytesIO(encrypted(pdf(PHRASE), user_password=""))).text == PHRASE


def test_characters_and_pages_are_capped(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_CHARS", 8)
    result = extract("pdf", io.BytesIO(pdf(PHRASE)))
    assert result.text == PHRASE[:8] and result.truncated
    monkeypatch.setattr(extraction, "MAX_CHARS", 1000)
    monkeypatch.setattr(extraction, "MAX_PAGES", 1)
    result = extract("pdf", io.BytesIO(pdf(PHRASE, "第二页的内容")))
    assert result.text == PHRASE and result.truncated


def test_time_budget_stops_reading(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_SECONDS", -1)
    result = extract("pdf", io.BytesIO(pdf(PHRASE, "第二页的内容")))
    assert result.text == PHRASE and result.truncated


def test_docx_that_would_inflate_too_far_is_not_read(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_DOCX_UNPACKED", 10_000)
    assert extract("docx", io.BytesIO(docx_file(PHRASE))) == extraction.Extracted("", "unreadable")


def test_a_damaged_page_costs_only_itself(monkeypatch):
    from pypdf import PageObject

    real = PageObject.extract_text

    def fails_on_the_first_page(page, *args, **kwargs):
        if page.page_number == 0:
            raise KeyError("/Font")
        return real(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", fails_on_the_first_page)
    assert extract("pdf", io.BytesIO(pdf("第一页的内容", PHRASE))).text == PHRASE
    assert extract("pdf", io.BytesIO(pdf("只有一页"))).status == "unreadable"
