"""Numbers as people write them in reports and messages: 0, 7.5, 11.25, 1,234.5."""

from __future__ import annotations


def plain(x: float, places: int = 2, thousands: bool = False) -> str:
    """`x` rounded to `places` decimals, without trailing zeros and never as "-0"."""
    text = f"{x:,.{places}f}" if thousands else f"{x:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
