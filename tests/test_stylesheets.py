"""Our stylesheets parse: every block is closed where it should be.

An unclosed ``@media print {`` once turned every rule after it into a
print-only rule, so the public form's honeypot field showed on screen and
real citizens were refused. A browser would not complain; this test does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parent.parent / "static" / "css"
STYLESHEETS = sorted(CSS_DIR.glob("*.css"))


def _blocks(css: str) -> list[tuple[str, int]]:
    """Each block's header (selector or at-rule) with its nesting depth;
    fails on a closing brace without an opening one or a block left open."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    blocks: list[tuple[str, int]] = []
    stack: list[str] = []
    header = ""
    for char in css:
        if char == "{":
            blocks.append((header.strip(), len(stack)))
            stack.append(header.strip())
            header = ""
        elif char == "}":
            assert stack, "a closing brace without an opening one"
            stack.pop()
            header = ""
        elif char == ";" and not stack:
            header = ""  # a top-level statement such as @import
        else:
            header += char
    assert not stack, f"blocks left open: {stack}"
    return blocks


def test_there_are_stylesheets_to_check() -> None:
    assert STYLESHEETS


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: p.name)
def test_every_block_closes_and_at_rules_never_nest(path: Path) -> None:
    blocks = _blocks(path.read_text(encoding="utf-8"))
    for header, depth in blocks:
        if header.startswith("@"):
            # We write no nested at-rules: one inside another means the outer
            # one was never closed.
            assert depth == 0, f"{header!r} is nested inside another block"
        else:
            assert depth <= 1, f"{header!r} is nested {depth} deep"


def test_the_screen_rules_are_not_inside_a_print_block() -> None:
    blocks = _blocks((CSS_DIR / "lvzhi.css").read_text(encoding="utf-8"))
    top_level = {header for header, depth in blocks if depth == 0}
    for selector in (".lvzhi-hp", ".qr-code", ".qr-projection .qr-code", ".qr-poster .qr-code"):
        assert selector in top_level, selector


def test_the_parser_catches_an_unclosed_print_block() -> None:
    with pytest.raises(AssertionError):
        _blocks("@media print { .a { color: red; }\n.b { color: blue; }")
    with pytest.raises(AssertionError):
        _blocks(".a { color: red; } }")
