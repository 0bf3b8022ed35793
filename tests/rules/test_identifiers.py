import pytest

from casehub.rules.identifiers import (
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_id_number,
    mask_id_number,
    mask_person_name,
)


def test_credit_code_example_from_the_standard():
    # domain.md: 91350100M000100Y4 takes check character 3.
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert is_valid_credit_code("91350100M000100Y43")


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100I43",  # I is not in the alphabet
        "91350100M000100Y4O",  # nor is O
        "",
        "9135010OM000100Y43",
    ],
)
def test_invalid_credit_codes(code):
    assert not is_valid_credit_code(code)


def test_lower_case_input_is_normalised():
    assert is_valid_credit_code("91350100m000100y43")


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_valid_id_numbers(number):
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13 (check digit recomputed below would still fail the date)
        "1101051949123100",  # too short
        "11010519491231002Y",
        "",
    ],
)
def test_invalid_id_numbers(number):
    assert not is_valid_id_number(number)


def test_impossible_date_with_a_correct_check_digit_is_invalid():
    from casehub.rules.identifiers import id_number_check_char

    body = "11010519490230002"  # 30 February
    assert not is_valid_id_number(body + id_number_check_char(body))


def test_masks():
    assert mask_id_number("11010519491231002X") == "110105***********X"
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("欧阳娜娜") == "欧***"
