"""The zh_Hans catalogue is complete, up to date and compiled (DESIGN §5, Language).

How "up to date" is checked, without gettext tools and in about a second:
the test extracts every msgid the way ``make messages`` (Django's
makemessages) does — Python files are read with ``ast`` and every call of a
gettext function (gettext, gettext_lazy, gettext_noop, _, ngettext,
pgettext, npgettext and their lazy forms, by the same argument positions as
makemessages passes to xgettext) with literal string arguments gives a msgid;
templates (.html, .txt) go through Django's own ``templatize``, the function
makemessages uses to turn ``{% translate %}``/``{% blocktranslate %}`` into
gettext calls, and those calls are read back. The files are those
makemessages walks: every .py/.html/.txt under the project except hidden
directories, .venv and var (the Makefile's ``--ignore``). Each msgid found
must have a non-fuzzy, non-empty translation in
locale/zh_Hans/LC_MESSAGES/django.po, so a new string without Chinese fails
here even before anyone runs ``make messages``. A string built at run time
(``_(variable)``) is not extractable by either tool and is not checked.

The compiled .mo files are committed (serving and testing need no gettext
tools), so the last test checks the .mo says what the .po says.

To fix a failure: ``make messages``, put the Chinese into
locale/zh_Hans/pending/<helper>.json, run ``python scripts/merge_translations.py``,
then ``python manage.py compilemessages --ignore=.venv``.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
ZH_HANS_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH_HANS_MO = ZH_HANS_PO.with_suffix(".mo")
IGNORED_DIRS = {".venv", "var", "node_modules", "__pycache__"}
EXTENSIONS = {".py", ".html", ".txt"}

_spec = importlib.util.spec_from_file_location(
    "merge_translations", ROOT / "scripts" / "merge_translations.py"
)
assert _spec is not None and _spec.loader is not None
merge = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("merge_translations", merge)  # dataclasses look the module up
_spec.loader.exec_module(merge)

# name -> (context argument, msgid argument, plural argument), as makemessages
# tells xgettext (--keyword=pgettext:1c,2 ...) plus xgettext's Python defaults.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ugettext": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "ungettext": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

Key = tuple[str | None, str]


def _strings(args: list[ast.expr]) -> list[str | None]:
    return [
        a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args
    ]


def _call_keys(tree: ast.AST) -> Iterator[Key]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in KEYWORDS:
            continue
        ctx_at, msgid_at, _plural_at = KEYWORDS[name]
        values = _strings(node.args)
        if len(values) <= msgid_at or values[msgid_at] is None:
            continue
        context = values[ctx_at] if ctx_at is not None else None
        if ctx_at is not None and context is None:
            continue
        yield (context, values[msgid_at])  # type: ignore[misc]


def extract_python(source: str) -> set[Key]:
    return set(_call_keys(ast.parse(source)))


_TEMPLATE_CALL_RE = re.compile(
    r"\b(?P<name>gettext|pgettext|ngettext|npgettext|_)\(\s*"
    r"(?P<args>(?:u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?\s*)+)",
    re.DOTALL,
)
_LITERAL_RE = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", re.DOTALL)


def extract_template(source: str, origin: str = "") -> set[Key]:
    keys: set[Key] = set()
    for match in _TEMPLATE_CALL_RE.finditer(templatize(source, origin)):
        values = [ast.literal_eval(lit) for lit in _LITERAL_RE.findall(match["args"])]
        context_at, msgid_at, _ = KEYWORDS[match["name"]]
        if len(values) > msgid_at:
            keys.add((values[context_at] if context_at is not None else None, values[msgid_at]))
    return keys


def project_files() -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS and not d.startswith(".")]
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.suffix in EXTENSIONS and not filename.startswith("."):
                yield path


def extract_project() -> dict[Key, str]:
    """Every msgid in the project and one file it comes from."""
    found: dict[Key, str] = {}
    for path in sorted(project_files()):
        source = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(ROOT))
        if path.suffix == ".py":
            keys = extract_python(source)
        else:
            keys = extract_template(source, relative)
        for key in keys:
            found.setdefault(key, relative)
    return found


def catalogue() -> list:
    assert ZH_HANS_PO.exists(), (
        f"{ZH_HANS_PO.relative_to(ROOT)} is missing: run `make messages` and "
        "scripts/merge_translations.py"
    )
    return merge.read_po(ZH_HANS_PO)


# --- the catalogue -----------------------------------------------------------------


def test_the_zh_hans_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = catalogue()
    header = next(e for e in entries if e.is_header)
    assert not header.fuzzy, "the catalogue header is fuzzy: msgfmt would ignore it"
    problems = [e.msgid for e in entries if not e.is_header and not e.obsolete and not e.translated]
    assert problems == [], f"{len(problems)} entries lack a Chinese translation: {problems}"


def test_every_string_in_the_code_has_a_chinese_translation():
    translated = {e.key for e in catalogue() if not e.obsolete and e.translated}
    missing = {key: origin for key, origin in extract_project().items() if key not in translated}
    assert missing == {}, "\n".join(
        ["Strings without a translation in zh_Hans (see this file's docstring):"]
        + [f"  {origin}: {msgid!r}" for (_, msgid), origin in sorted(missing.items(), key=str)]
    )


def test_the_compiled_catalogue_matches_the_po_file():
    assert ZH_HANS_MO.exists(), "run `python manage.py compilemessages --ignore=.venv`"
    with ZH_HANS_MO.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue():
        if entry.obsolete or entry.is_header or not entry.translated:
            continue
        if entry.msgid_plural is not None:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        elif entry.msgctxt is not None:
            got = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            got = compiled.gettext(entry.msgid)
        if got != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert stale == [], f"django.mo is out of date, run compilemessages: {stale[:10]}"


def test_every_pending_translation_file_is_a_flat_json_object_of_strings():
    for path in sorted((LOCALE / "zh_Hans" / "pending").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path.name
        for msgid, text in data.items():
            assert isinstance(text, str | list) and text, f"{path.name}: {msgid!r}"
            forms = [text] if isinstance(text, str) else text
            for form in forms:
                assert merge.placeholders(form) == merge.placeholders(msgid), (
                    f"{path.name}: placeholders of {msgid!r} differ in {form!r}"
                )


@pytest.mark.django_db
def test_the_login_page_speaks_chinese_by_default(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body
    assert "履职通" in body


# --- the extractor itself ------------------------------------------------------------


def test_the_extractor_finds_python_calls_like_makemessages():
    source = """
from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy
from django.utils import translation
a = _("Plain")
b = _("Implicit " "concatenation")
c = ngettext("%(n)s day", "%(n)s days", 2)
d = pgettext_lazy("month name", "May")
e = translation.gettext("Through the module")
f = _(variable)
g = other("Not a gettext call")
"""
    assert extract_python(source) == {
        (None, "Plain"),
        (None, "Implicit concatenation"),
        (None, "%(n)s day"),
        ("month name", "May"),
        (None, "Through the module"),
    }


def test_the_extractor_finds_template_tags_like_makemessages():
    source = """{% load i18n %}
<p>{% translate "Log in" %}</p>
<p>{% translate "Open" context "verb" %}</p>
{% blocktranslate with name=user %}Hello, {{ name }}{% endblocktranslate %}
{% blocktranslate trimmed count n=items|length %}
  One item
{% plural %}
  {{ n }} items
{% endblocktranslate %}
{{ message|default:_("Nothing here yet.") }}
{% translate "Done" as done_label %}
<p>Not translated</p>
"""
    keys = extract_template(source)
    assert (None, "Log in") in keys
    assert ("verb", "Open") in keys
    assert (None, "Hello, %(name)s") in keys
    assert (None, "One item") in keys
    assert (None, "Nothing here yet.") in keys
    assert (None, "Done") in keys
    assert not any("Not translated" in msgid for _, msgid in keys)


# --- the merge script ------------------------------------------------------------

SAMPLE_PO = r"""# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\n"
"Language: \n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"

#: lvzhi/a.py:1
msgid "Save"
msgstr ""

#: lvzhi/b.py:2
msgid ""
"A long message that msgmerge wrapped over "
"two lines with a \"quote\"\n"
"and a newline."
msgstr ""

#: lvzhi/c.py:3
#, fuzzy, python-format
#| msgid "Old %(date)s"
msgid "%(date)s is taken."
msgstr "旧的 %(date)s"

#, python-format
msgid "%(counter)s error found."
msgid_plural "%(counter)s errors found."
msgstr[0] ""
msgstr[1] ""

msgctxt "verb"
msgid "Open"
msgstr ""

msgid "Already done"
msgstr "已完成"

msgid "Keep me"
msgstr ""

#~ msgid "Gone"
#~ msgstr "没了"
"""


def test_the_merge_script_fills_every_kind_of_entry_and_leaves_the_rest_as_it_was(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(SAMPLE_PO, encoding="utf-8")
    pending = tmp_path / "pending"
    pending.mkdir()
    (pending / "a.json").write_text(
        json.dumps(
            {
                "Save": "保存",
                'A long message that msgmerge wrapped over two lines with a "quote"\n'
                "and a newline.": '一条带"引号"的长消息\n第二行。',
                "%(date)s is taken.": "%(date)s 已被占用。",
                "%(counter)s error found.": "发现 %(counter)s 个错误。",
                "Open": "打开",
                "Already done": "做完了",
                "Not in the catalogue": "无",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    status = merge.main(["--po", str(po), "--pending", str(pending)])
    assert status == 1  # "Keep me" still has no translation

    entries = {e.key: e for e in merge.read_po(po) if not e.obsolete}
    header = entries[(None, "")]
    assert not header.fuzzy
    assert "Language: zh_Hans\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.msgstr[0]
    assert entries[(None, "Save")].msgstr == {0: "保存"}
    long_key = (
        None,
        'A long message that msgmerge wrapped over two lines with a "quote"\nand a newline.',
    )
    assert entries[long_key].msgstr == {0: '一条带"引号"的长消息\n第二行。'}
    taken = entries[(None, "%(date)s is taken.")]
    assert taken.msgstr == {0: "%(date)s 已被占用。"}
    assert taken.flags == ["python-format"]
    assert taken.previous == []
    assert entries[(None, "%(counter)s error found.")].msgstr == {0: "发现 %(counter)s 个错误。"}
    assert entries[("verb", "Open")].msgstr == {0: "打开"}
    # An existing translation is kept unless --overwrite is given.
    assert entries[(None, "Already done")].msgstr == {0: "已完成"}
    text = po.read_text(encoding="utf-8")
    assert '#~ msgid "Gone"\n#~ msgstr "没了"' in text
    assert "#: lvzhi/c.py:3\n#, python-format\n" in text

    # Running it again changes nothing.
    merge.main(["--po", str(po), "--pending", str(pending)])
    assert po.read_text(encoding="utf-8") == text

    merge.main(["--po", str(po), "--pending", str(pending), "--overwrite"])
    entries = {e.key: e for e in merge.read_po(po) if not e.obsolete}
    assert entries[(None, "Already done")].msgstr == {0: "做完了"}


def test_the_merge_script_refuses_a_translation_with_other_placeholders(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n#, python-format\n'
        'msgid "%(date)s is taken."\nmsgstr ""\n',
        encoding="utf-8",
    )
    pending = tmp_path / "pending"
    pending.mkdir()
    (pending / "a.json").write_text(json.dumps({"%(date)s is taken.": "%(day)s 已被占用。"}))
    assert merge.main(["--po", str(po), "--pending", str(pending)]) == 1
    entry = next(e for e in merge.read_po(po) if e.msgid == "%(date)s is taken.")
    assert entry.msgstr == {0: ""}


def test_po_strings_round_trip_through_unquote_and_quote():
    for value in ["plain", 'with "quotes"', "back\\slash", "tab\tand\nnewline", "中文"]:
        assert merge.unquote(merge.quote(value)) == value
    assert merge.unquote(r'"\101\n"') == "A\n"


def test_the_zh_hant_generator_converts_every_msgstr_and_keeps_the_msgids(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_zh_hant", ROOT / "scripts" / "make_zh_hant.py"
    )
    assert spec is not None and spec.loader is not None
    make_zh_hant = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_zh_hant)
    source = tmp_path / "zh_Hans.po"
    source.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgid "Holiday calendar"\nmsgstr "节假日安排"\n\n'
        '#, python-format\nmsgid "%(counter)s error found."\n'
        'msgid_plural "%(counter)s errors found."\n'
        'msgstr[0] "发现 %(counter)s 个错误。"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "没了"\n',
        encoding="utf-8",
    )
    target = tmp_path / "zh_Hant" / "django.po"
    table = str.maketrans({"节": "節", "发": "發", "现": "現", "个": "個", "错": "錯", "误": "誤"})
    count = make_zh_hant.convert_catalogue(source, target, lambda text: text.translate(table))
    assert count == 2
    entries = {e.key: e for e in merge.read_po(target)}
    assert "Language: zh_Hant" in entries[(None, "")].msgstr[0]
    assert entries[(None, "Holiday calendar")].msgstr == {0: "節假日安排"}
    assert entries[(None, "%(counter)s error found.")].msgstr == {0: "發現 %(counter)s 個錯誤。"}
    assert "Gone" not in target.read_text(encoding="utf-8")
