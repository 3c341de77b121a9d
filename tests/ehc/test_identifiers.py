"""NHS number checks (ehc/identifiers.py): modulus 11 over the first nine
digits, weighted 10 down to 2 (docs/domain.md, "Codes that match national data")."""

import pytest

from ehc.identifiers import (
    format_nhs_number,
    is_valid_nhs_number,
    nhs_number_problem,
    normalise_nhs_number,
)


def modulus_11_check(first_nine: str) -> int | None:
    """The check digit worked out independently, or None when it would be 10."""
    total = sum(int(digit) * (10 - i) for i, digit in enumerate(first_nine))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


class TestNormalise:
    @pytest.mark.parametrize(
        "typed,expected",
        [
            ("9434765919", "9434765919"),
            ("943 476 5919", "9434765919"),
            ("943-476-5919", "9434765919"),
            (" 943 476-5919 ", "9434765919"),
            ("943\t476\u00a05919", "9434765919"),  # tab and no-break space from a paste
            ("", ""),
            (None, ""),
        ],
    )
    def test_strips_spaces_and_hyphens(self, typed, expected):
        assert normalise_nhs_number(typed) == expected

    def test_keeps_other_characters_for_validation_to_refuse(self):
        assert normalise_nhs_number("943.476.5919") == "943.476.5919"


class TestFormat:
    @pytest.mark.parametrize("value", ["9434765919", "943 476 5919", "943-476-5919"])
    def test_three_three_four(self, value):
        assert format_nhs_number(value) == "943 476 5919"

    @pytest.mark.parametrize("value", ["", "12345", "94347659190"])
    def test_wrong_length_is_shown_as_given(self, value):
        assert format_nhs_number(value) == value


class TestValid:
    @pytest.mark.parametrize(
        "number",
        [
            "9434765919",  # the NHS's own example
            "4010232137",
            "9434765870",
            "1100000100",  # 1x10 + 1x9 + 1x3 = 22, remainder 0: check 11 is written 0
            "943 476 5919",
            "943-476-5919",
        ],
    )
    def test_accepted(self, number):
        assert nhs_number_problem(number) is None
        assert is_valid_nhs_number(number) is True

    def test_examples_agree_with_an_independent_check(self):
        for number in ["9434765919", "4010232137", "9434765870", "1100000100"]:
            assert modulus_11_check(number[:9]) == int(number[9])

    def test_check_digit_zero_when_remainder_is_zero(self):
        assert modulus_11_check("110000010") == 0
        assert is_valid_nhs_number("1100000100")
        # 11 is never written as a check digit: any other last digit fails.
        for last in "123456789":
            assert not is_valid_nhs_number("110000010" + last)


class TestInvalid:
    @pytest.mark.parametrize(
        "number",
        ["9434765918", "9434765910", "4010232138", "9434765871"],
    )
    def test_wrong_check_digit(self, number):
        problem = nhs_number_problem(number)
        assert problem is not None
        assert "check" in problem
        assert is_valid_nhs_number(number) is False

    def test_every_wrong_last_digit_is_refused(self):
        for last in "012345678":
            assert not is_valid_nhs_number("943476591" + last)

    @pytest.mark.parametrize("first_nine", ["123456789", "000000006", "943476596"])
    def test_check_digit_ten_means_no_valid_number(self, first_nine):
        assert modulus_11_check(first_nine) is None  # the remainder gives 10
        for last in "0123456789":
            problem = nhs_number_problem(first_nine + last)
            assert problem is not None and "check" in problem

    @pytest.mark.parametrize(
        "number", ["", "943476591", "94347659199", "1", "943 476 591", "9434 7659 199"]
    )
    def test_wrong_length(self, number):
        problem = nhs_number_problem(number)
        assert problem is not None
        assert "10 digits" in problem

    @pytest.mark.parametrize(
        "number",
        [
            "94347659A9",
            "ABCDEFGHIJ",
            "943.476.5919",
            "943_476_5919",
            "+944765919",
            "943476591²",  # str.isdigit() says yes to a superscript two
            "٩٤٣٤٧٦٥٩١٩",  # 9434765919 in Arabic-Indic digits
        ],
    )
    def test_letters_and_other_characters(self, number):
        problem = nhs_number_problem(number)
        assert problem is not None
        assert "10 digits" in problem
        assert not is_valid_nhs_number(number)

    @pytest.mark.parametrize("digit", "0123456789")
    def test_one_digit_repeated_is_refused(self, digit):
        number = digit * 10
        problem = nhs_number_problem(number)
        assert problem is not None
        assert "repeated" in problem

    def test_repeated_digits_would_otherwise_pass_the_arithmetic(self):
        # Why the rule exists: 1111111111 has the right check digit.
        assert modulus_11_check("111111111") == 1
        assert not is_valid_nhs_number("111 111 1111")
