"""planner.problem.numbers.plain: how every report and message writes a number."""

from planner.problem.numbers import plain


def test_trailing_zeros_and_minus_zero_go():
    assert plain(7.5) == "7.5"
    assert plain(11.25) == "11.25"
    assert plain(3.0) == "3"
    assert plain(-0.001) == "0"
    assert plain(0) == "0"


def test_places_round_and_thousands_group():
    assert plain(1.23456, 3) == "1.235"
    assert plain(1234.5, thousands=True) == "1,234.5"
    assert plain(1234.5) == "1234.5"


def test_no_decimals_keeps_the_zeros_of_whole_numbers():
    assert plain(100, 0) == "100"
    assert plain(1500, 0, thousands=True) == "1,500"
