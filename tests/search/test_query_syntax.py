import pytest

from search.query_syntax import MAX_LENGTH, QuerySyntaxError, Term, parse


def texts(groups):
    return [[t.text for t in g] for g in groups]


def test_words_are_anded_and_or_groups():
    q = parse("稻花香 白酒 OR 茶叶 商标")
    assert texts(q.groups) == [["稻花香"], ["白酒", "茶叶"], ["商标"]]


def test_phrases_and_negation():
    q = parse('"假冒注册商标" -警告 NOT 罚款')
    assert q.groups == [[Term("假冒注册商标", phrase=True)]]
    assert [t.text for t in q.excluded] == ["警告", "罚款"] and all(t.negated for t in q.excluded)


def test_field_prefixes_map_to_document_fields():
    q = parse("number:宜市监知立〔2026〕12号 code:91350100M000100Y43 party:\"宜昌某公司\"")
    assert [(t.field, t.text, t.phrase) for t in q.terms()] == [
        ("number", "宜市监知立〔2026〕12号", False), ("credit_codes", "91350100M000100Y43", False),
        ("party_names", "宜昌某公司", True)]


def test_unknown_prefix_is_an_error():
    with pytest.raises(QuerySyntaxError) as error:
        parse("secret:x")
    assert error.value.code == "unknown_field" and error.value.detail == "secret"


def test_unbalanced_quote_is_closed_and_flagged():
    q = parse('"假冒 商标')
    assert q.groups == [[Term("假冒 商标", phrase=True)]] and q.sanitised


def test_control_characters_are_dropped():
    q = parse("商标\x00\x1b[31m专利\u200b")
    assert q.sanitised
    assert all("\x00" not in t.text and "\x1b" not in t.text for t in q.terms())


def test_full_width_quotes_work_like_ascii():
    assert parse("“稻花香 白酒”").groups == [[Term("稻花香 白酒", phrase=True)]]


def test_too_long_and_too_many_terms():
    with pytest.raises(QuerySyntaxError) as error:
        parse("商" * (MAX_LENGTH + 1))
    assert error.value.code == "too_long"
    with pytest.raises(QuerySyntaxError):
        parse(" ".join(f"w{i}" for i in range(40)))


@pytest.mark.parametrize("raw", ["", "   ", "OR", "AND", '""', "NOT"])
def test_empty_queries(raw):
    assert parse(raw).empty


def test_query_string_syntax_is_just_text():
    # Lucene operators mean nothing special here: they are searched as text.
    q = parse("title:(a OR b) *:* foo~2 [a TO z]")
    assert all(t.field in (None, "title") for t in q.terms())
    assert "*:*" in [t.text for t in q.terms()]


def test_file_prefix_means_names_and_text():
    from search.query_syntax import FIELD_GROUPS

    (term,), = parse("file:鉴定意见").groups
    assert term.field == "files" and FIELD_GROUPS["files"] == ("file_names", "file_text")
