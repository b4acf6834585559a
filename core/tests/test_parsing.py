import pytest

from core.errors import BadRequest
from core.parsing import db_id, js_trim, js_truthy, parse_id, utf16_len


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), ("12abc", 12), (" 7", 7), ("0", 0)])
def test_ids_parse_like_parse_int(raw, expected):
    assert parse_id(raw, kind="room") == expected


@pytest.mark.parametrize("raw", ["-3", "9223372036854775808", "1" * 40])
def test_ids_no_row_can_have_parse_as_zero_so_they_are_not_found(raw):
    assert parse_id(raw, kind="room") == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), (5.0, 5), (True, None), (5.5, None), ("5", None), (0, None), (2**63, None)],
)
def test_db_ids_are_whole_numbers_in_the_databases_range(value, expected):
    assert db_id(value) == expected


@pytest.mark.parametrize("raw", ["abc", "", "members", "x12"])
def test_ids_without_leading_digits_are_refused_with_the_1x_message(raw):
    with pytest.raises(BadRequest) as caught:
        parse_id(raw, kind="vote")
    assert caught.value.message == "Invalid vote ID"


def test_trim_follows_javascript_not_python():
    assert js_trim("\ufeff name \u3000") == "name"
    # U+001C is whitespace to Python's strip() but not to JavaScript's trim().
    assert js_trim("\x1cname") == "\x1cname"


def test_lengths_count_utf16_code_units():
    assert utf16_len("abc") == 3
    assert utf16_len("😀") == 2


def test_truthiness_matches_javascript():
    values: list[object] = [0, "", None, False, 1, "a", [], {}]
    assert [js_truthy(v) for v in values] == [
        False,
        False,
        False,
        False,
        True,
        True,
        True,
        True,
    ]
