import io

import pytest

from casehub.rules.files import name_problem, sniff, type_problem
from tests.files.samples import ELF, EXE, PDF, PNG, TEXT, office, plain_zip


@pytest.mark.parametrize(
    "content,kind",
    [(PDF, "pdf"), (PNG, "png"), (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"), (TEXT, "text"),
     (office("docx"), "docx"), (office("xlsx"), "xlsx"), (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8, "mp4")],
)
def test_accepted_types_by_content(content, kind):
    assert sniff(content[:8192], io.BytesIO(content)) == kind


@pytest.mark.parametrize("content", [EXE, ELF, b"#!/bin/sh\nrm -rf /\n", plain_zip(), b"\x00\x01\x02binary"])
def test_executables_archives_and_binaries_are_refused(content):
    assert sniff(content[:8192], io.BytesIO(content)) is None


def test_text_cut_in_the_middle_of_a_character_is_still_text():
    assert sniff("鉴定".encode()[:4]) == "text"


def test_type_must_match_the_extension():
    assert type_problem("pdf", "鉴定意见.pdf") is None
    assert type_problem("png", "鉴定意见.pdf") == "mismatch"
    assert type_problem(None, "setup.pdf") == "type"


@pytest.mark.parametrize(
    "name,problem",
    [("../../etc/passwd", "path"), ("..\\boot.ini", "path"), ("a/b.pdf", "path"), ("..", "empty"),
     ("", "empty"), ("bad\x00name.pdf", "characters"), ("x" * 201 + ".pdf", "length"), ("证据..pdf", "path")],
)
def test_unsafe_names(name, problem):
    assert name_problem(name) == problem


def test_chinese_names_are_fine():
    assert name_problem("现场检查笔录（第1页）.pdf") is None
