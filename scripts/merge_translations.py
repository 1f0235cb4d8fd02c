#!/usr/bin/env python3
"""Fill the zh_Hans catalogue from the pending translation files.

Whoever adds UI text writes its Chinese into ``locale/zh_Hans/pending/*.json``
as a flat object ``{"English msgid": "中文"}`` (a list of strings for the
plural forms of an ngettext/blocktranslate-count message is accepted too;
a ``pgettext`` message may be keyed ``"context\u0004msgid"`` to translate it
apart from the same msgid without context).
After ``make messages`` has extracted the msgids, this script copies those
translations into ``locale/zh_Hans/LC_MESSAGES/django.po``:

* it fills entries whose msgstr is empty or marked fuzzy (``--overwrite``
  also replaces existing translations that differ from the JSON);
* plural entries get every form the header's ``Plural-Forms`` asks for;
* a filled entry loses its ``fuzzy`` flag and its ``#|`` previous-msgid lines;
* the header is completed (Language, Plural-Forms, charset) and loses a
  ``fuzzy`` flag, otherwise msgfmt ignores it;
* a translation whose %-placeholders differ from the msgid's is refused.

Untouched entries are written back byte for byte. At the end it lists the
msgids that still have no translation and exits 1 if there are any, so
``python scripts/merge_translations.py && make messages`` stops early.

Standard library only: the PO format parsed here is what GNU gettext's
msgmerge writes (multi-line strings, msgctxt, plurals, obsolete ``#~``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DEFAULT_PENDING = ROOT / "locale" / "zh_Hans" / "pending"
DEFAULT_PLURAL_FORMS = "nplurals=1; plural=0;"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPES.update({'"': '"', "\\": "\\", "'": "'", "?": "?"})
_FIELD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_PLACEHOLDER_RE = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifrxXeEgGc%])")


# --- PO strings ----------------------------------------------------------------


def unquote(literal: str) -> str:
    """The value of one PO string literal, quotes included: '"a\\n"' -> 'a\n'."""
    literal = literal.strip()
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise ValueError(f"not a PO string: {literal!r}")
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt.isdigit():  # octal escape, up to three digits
            digits = re.match(r"[0-7]{1,3}", body[i + 1 :])
            assert digits is not None
            out.append(chr(int(digits.group(0), 8)))
            i += 1 + len(digits.group(0))
        else:
            raise ValueError(f"unknown escape \\{nxt} in {literal!r}")
    return "".join(out)


def quote(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    return f'"{escaped}"'


def field_lines(keyword: str, value: str) -> list[str]:
    """A field as msgmerge writes it: multi-line when the value has inner newlines."""
    parts = value.splitlines(keepends=True)
    if len(parts) <= 1:
        return [f"{keyword} {quote(value)}"]
    return [f'{keyword} ""', *(quote(part) for part in parts)]


# --- PO entries ----------------------------------------------------------------


@dataclass
class Entry:
    """One catalogue entry; ``lines`` keeps the text as read for untouched entries."""

    lines: list[str]
    comments: list[str] = field(default_factory=list)  # "# ", "#.", "#:" lines
    flags: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)  # "#|" lines
    fields_raw: dict[str, list[str]] = field(default_factory=dict)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # singular: {0: ...}
    obsolete: bool = False
    changed: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(v for v in self.msgstr.values()) and not self.fuzzy

    def render(self) -> list[str]:
        if not self.changed:
            return self.lines
        out = list(self.comments)
        if self.flags:
            out.append("#, " + ", ".join(self.flags))
        out.extend(self.previous)
        for name in ("msgctxt", "msgid", "msgid_plural"):
            out.extend(self.fields_raw.get(name, []))
        if self.msgid_plural is None:
            out.extend(field_lines("msgstr", self.msgstr.get(0, "")))
        else:
            for index in sorted(self.msgstr):
                out.extend(field_lines(f"msgstr[{index}]", self.msgstr[index]))
        return out


def parse_entry(lines: list[str]) -> Entry:
    entry = Entry(lines=lines)
    if any(line.startswith("#~") for line in lines):
        entry.obsolete = True  # kept as read
        return entry
    current: str | None = None  # the field continuation lines belong to
    values: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("#,"):
            entry.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            current = None
        elif line.startswith("#|"):
            entry.previous.append(line)
            current = None
        elif line.startswith("#"):
            entry.comments.append(line)
            current = None
        elif line.startswith('"'):
            if current is None:
                raise ValueError(f"string outside a field: {line!r}")
            values[current].append(unquote(line))
            entry.fields_raw.setdefault(current, []).append(line)
        else:
            match = _FIELD_RE.match(line)
            if not match:
                raise ValueError(f"cannot read PO line: {line!r}")
            keyword, index, literal = match.groups()
            current = keyword if index is None else f"msgstr[{index}]"
            if keyword == "msgstr" and index is None:
                current = "msgstr[0]"
            values[current] = [unquote(literal)]
            entry.fields_raw[current] = [line]
    entry.msgctxt = "".join(values["msgctxt"]) if "msgctxt" in values else None
    entry.msgid = "".join(values.get("msgid", []))
    entry.msgid_plural = "".join(values["msgid_plural"]) if "msgid_plural" in values else None
    for name, parts in values.items():
        if name.startswith("msgstr["):
            entry.msgstr[int(name[7:-1])] = "".join(parts)
    return entry


def read_po(path: Path) -> list[Entry]:
    """Entries in file order; blank lines separate them."""
    blocks: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [parse_entry(block) for block in blocks if block]


def write_po(path: Path, entries: Iterable[Entry]) -> None:
    text = "\n\n".join("\n".join(entry.render()) for entry in entries)
    path.write_text(text + "\n", encoding="utf-8")


# --- the header ----------------------------------------------------------------


def header_fields(header: Entry) -> list[tuple[str, str]]:
    pairs = []
    for line in header.msgstr.get(0, "").splitlines():
        name, _, value = line.partition(":")
        pairs.append((name.strip(), value.strip()))
    return pairs


def nplurals_of(entries: list[Entry]) -> int:
    header = next((e for e in entries if e.is_header), None)
    if header is not None:
        for name, value in header_fields(header):
            match = re.search(r"nplurals\s*=\s*(\d+)", value) if name == "Plural-Forms" else None
            if match:
                return int(match.group(1))
    return 1


def complete_header(entries: list[Entry], language: str) -> None:
    header = next((e for e in entries if e.is_header), None)
    if header is None:
        return
    pairs = header_fields(header)
    fixed = []
    for name, value in pairs:
        if name == "Language" and not value:
            value = language
        elif name == "Plural-Forms" and ("INTEGER" in value or not value):
            value = DEFAULT_PLURAL_FORMS
        elif name == "Content-Type" and "CHARSET" in value:
            value = value.replace("CHARSET", "UTF-8")
        fixed.append((name, value))
    if not any(name == "Plural-Forms" for name, _ in fixed):
        fixed.append(("Plural-Forms", DEFAULT_PLURAL_FORMS))
    new_text = "".join(f"{name}: {value}\n" for name, value in fixed)
    if new_text != header.msgstr.get(0, "") or header.fuzzy:
        header.msgstr = {0: new_text}
        header.flags = [f for f in header.flags if f != "fuzzy"]
        header.changed = True


# --- translations ----------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    """The %-format placeholders of a string, named ones by name, sorted."""
    found = []
    for name, conversion in _PLACEHOLDER_RE.findall(text):
        if conversion != "%":
            found.append(f"({name})" if name else conversion)
    return sorted(found)


def load_pending(directory: Path) -> tuple[dict[str, str | list[str]], list[str]]:
    """Every pending translation, and the conflicts between files (first file wins)."""
    merged: dict[str, str | list[str]] = {}
    origin: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            problems.append(f"{path.name}: not a JSON object, skipped")
            continue
        for msgid, text in data.items():
            if not isinstance(text, str | list) or not text:
                problems.append(f"{path.name}: empty or wrong value for {msgid!r}")
                continue
            if msgid in merged and merged[msgid] != text:
                problems.append(
                    f"{path.name}: {msgid!r} differs from {origin[msgid]} "
                    f"({text!r} vs {merged[msgid]!r}); kept {origin[msgid]}"
                )
                continue
            merged.setdefault(msgid, text)
            origin.setdefault(msgid, path.name)
    return merged, problems


@dataclass
class Report:
    filled: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def fill(
    entries: list[Entry], pending: dict[str, str | list[str]], *, overwrite: bool = False
) -> Report:
    report = Report()
    nplurals = nplurals_of(entries)
    used: set[str] = set()
    for entry in entries:
        if entry.obsolete or entry.is_header:
            continue
        # A pgettext entry is looked up as "context\u0004msgid" first, so one
        # English word can have different Chinese in different contexts.
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if key not in pending:
            key = entry.msgid
        text = pending.get(key)
        if text is None:
            if not entry.translated:
                report.missing.append(entry.msgid)
            continue
        used.add(key)
        forms = [text] if isinstance(text, str) else list(text)
        if entry.msgid_plural is None:
            new = {0: forms[0]}
        else:
            new = {i: forms[min(i, len(forms) - 1)] for i in range(nplurals)}
        wanted = placeholders(entry.msgid)
        wanted_plural = placeholders(entry.msgid_plural) if entry.msgid_plural else wanted
        if any(placeholders(v) not in (wanted, wanted_plural) for v in new.values()):
            report.refused.append(f"{entry.msgid!r}: placeholders differ from the msgid's")
            if not entry.translated:
                report.missing.append(entry.msgid)
            continue
        if entry.translated and not overwrite:
            continue
        if entry.translated and entry.msgstr == new:
            continue
        entry.msgstr = new
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous = []
        entry.changed = True
        report.filled.append(entry.msgid)
    report.unused = sorted(set(pending) - used)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--po", type=Path, default=DEFAULT_PO)
    parser.add_argument("--pending", type=Path, default=DEFAULT_PENDING)
    parser.add_argument("--language", default="zh_Hans")
    parser.add_argument(
        "--overwrite", action="store_true", help="replace translations that differ from the JSON"
    )
    args = parser.parse_args(argv)

    if not args.po.exists():
        print(f"{args.po} does not exist: run `make messages` first.", file=sys.stderr)
        return 2
    entries = read_po(args.po)
    pending, problems = load_pending(args.pending)
    complete_header(entries, args.language)
    report = fill(entries, pending, overwrite=args.overwrite)
    report.problems = problems
    write_po(args.po, entries)

    print(f"Filled {len(report.filled)} entries in {os.path.relpath(args.po)}.")
    for line in report.problems + report.refused:
        print(f"warning: {line}")
    if report.unused:
        print(f"{len(report.unused)} pending msgids are not in the catalogue (stale or mistyped):")
        for msgid in report.unused:
            print(f"  {msgid!r}")
    if report.missing:
        print(f"{len(report.missing)} msgids still have no translation:")
        for msgid in report.missing:
            print(f"  {msgid!r}")
        return 1
    print("Every msgid has a translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
