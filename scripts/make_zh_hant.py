#!/usr/bin/env python3
"""Generate the Traditional Chinese catalogue (zh_Hant) from zh_Hans.

DESIGN §5: zh_Hans is the catalogue people keep complete; zh_Hant is
generated from it. Every msgstr of locale/zh_Hans/LC_MESSAGES/django.po is
converted with OpenCC's standard "s2t" conversion (phrase-aware, so 里程
stays 里程 where a character table would write 裏程) and written to
locale/zh_Hant/LC_MESSAGES/django.po with the same msgids. Placeholders
such as %(name)s are ASCII and pass through unchanged.

Needs ``opencc-python-reimplemented`` (pure Python; the official ``opencc``
binding works too) or, as a fallback, ``zhconv``. Then compile as usual:
``python manage.py compilemessages --ignore=.venv``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import merge_translations as po  # the PO reader/writer beside this script

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TARGET = ROOT / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def converter() -> Callable[[str], str]:
    """Simplified -> Traditional, with the best library installed."""
    try:
        import opencc
    except ImportError:
        pass
    else:
        for config in ("s2t", "s2t.json"):
            try:
                return opencc.OpenCC(config).convert  # type: ignore[no-any-return]
            except Exception:  # noqa: S112  (the two packages name the config differently)
                continue
    try:
        import zhconv
    except ImportError:
        raise SystemExit(
            "Converting to Traditional Chinese needs opencc-python-reimplemented "
            "(or zhconv): .venv/bin/pip install opencc-python-reimplemented"
        ) from None
    return lambda text: zhconv.convert(text, "zh-hant")


def convert_catalogue(source: Path, target: Path, convert: Callable[[str], str]) -> int:
    entries = po.read_po(source)
    count = 0
    for entry in entries:
        if entry.obsolete:
            continue
        if entry.is_header:
            text = entry.msgstr.get(0, "").replace("Language: zh_Hans", "Language: zh_Hant")
            entry.msgstr = {0: text}
        else:
            entry.msgstr = {i: convert(text) for i, text in entry.msgstr.items()}
            count += 1
        entry.changed = True
    entries = [e for e in entries if not e.obsolete]
    target.parent.mkdir(parents=True, exist_ok=True)
    po.write_po(target, entries)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} does not exist: run `make messages` first.", file=sys.stderr)
        return 2
    count = convert_catalogue(args.source, args.target, converter())
    print(f"Wrote {count} entries to {args.target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
