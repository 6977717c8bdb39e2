"""What every command's bad-input test checks: exit 2, no traceback, one line."""

from __future__ import annotations


def one_line_error(result, stream: str = "output") -> str:
    """The single line a refusal prints on `stream` ("output" or "stderr"), after exit code 2."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = getattr(result, stream)
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]
