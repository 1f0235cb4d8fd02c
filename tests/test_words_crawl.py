"""Users never see a code, and the interface speaks Chinese (DESIGN §5 Language,
§12 "Users never see a code"; issue 12, "Words").

The test reads the walk of the demo that tests/crawl.py makes once per role
(every demo login, an anonymous visitor from the public pages a QR code
opens, and the logins of a committee the demo never configured; shared with
the no-GET-writes test). On every HTML page it takes the visible text (text
nodes, without <script>/<style>) and what a screen reader or a tooltip reads
out (the aria-label, title, alt and placeholder attributes), and fails on

(a) a raw code: a choice value of any model field of our apps that looks like
    an identifier ("draft", "in_editing"), a workflow action code ("submit"),
    an audit action code ("proposal.register"), a django-rules permission name
    ("proposals.register_proposal") or an object's default name
    ("accounts.user #15");
(b) English: any word of two or more ASCII letters that is not on the
    allow-list below (proper names and accepted tokens, see docs/i18n.md),
    after e-mail addresses, URLs and tracking codes are taken out;

and on any response 500. The API's generated documentation is not our
interface text and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import pytest
from django.apps import apps

from tests.crawl import (
    DEMO_LOGINS,
    FRESH_LOGINS,
    Crawl,
    demo_logins,
    parse,
)

pytestmark = pytest.mark.usefixtures("demo")

# Pages whose text is not interface text of ours (the API's generated docs).
TEXT_SKIPPED_PREFIXES = ("/api/",)


# Words of ASCII letters accepted in Chinese text (docs/i18n.md says why).
ALLOWED_WORDS = {
    # Technical names everybody in an office reads as they are.
    "QR",
    "Excel",
    "PDF",
    "ID",
    "API",
    "OpenAPI",
    "TOTP",
    "URL",
    "HTTP",
    "HTTPS",
    "IP",
    "JSON",
    "CSV",
    "xlsx",
    "docx",
    "Word",
    "WPS",
    "App",
    "APP",
    "PC",
    "MB",
    "KB",
    "GB",
    "Token",
    "token",
    "SQL",
    "SQLite",
    "PostgreSQL",
    "Redis",
    "Authenticator",
    "Google",
    "Microsoft",
    "Android",
    "iOS",
    "iPhone",
    "Bearer",
    "jpg",
    "jpeg",
    "png",
    "webp",
    "gif",
    "heic",
    "JPG",
    "JPEG",
    "PNG",
    "WebP",
    "GIF",
    "HEIC",
    "UTC",
    "CST",
    "SMS",
    "VPN",
    "PowerPoint",
    "Ctrl",
    # The language switch names English in English (LANGUAGES).
    "English",
    # Political and administrative abbreviations in Chinese usage.
    "CPPCC",
}
# Logins, unit codes and such invented by the demo are data, not interface.
DEMO_WORDS = {"demo", "city", "district", "Demo"}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"(?:https?://|/)[\w\-./?=&%#:~+]*[\w/]")
TRACKING_RE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}(?:[- ]?[A-HJ-NP-Z2-9]{4}){3}\b")
# The two-factor page shows the new secret in groups of four (base32).
TOTP_SECRET_RE = re.compile(r"\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){3,}\b")
WORD_RE = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]*[A-Za-z](?![A-Za-z0-9_])")
IDENT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
OBJECT_NAME_RE = re.compile(r"\b[a-z_]+\.[a-z_]+ #\d+")


# --- the words of the interface -------------------------------------------------------


def raw_codes() -> dict[str, str]:
    """Every code a page must never show, with what it is."""
    from rules.permissions import permissions

    from lvzhi.core.audit import all_audit_actions
    from lvzhi.core.workflow import all_workflows

    codes: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("lvzhi."):
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str) and IDENT_RE.match(value) and len(value) > 1:
                    codes.setdefault(value, f"choice of {model.__name__}.{model_field.name}")
    for flow in all_workflows():
        for action in flow.actions():
            codes.setdefault(action, f"workflow action of {flow.model.__name__}")
        for state in flow.states():
            if IDENT_RE.match(state):
                codes.setdefault(state, f"workflow state of {flow.model.__name__}")
    for action in all_audit_actions():
        codes.setdefault(action.code, "audit action")
    for name in permissions:
        codes.setdefault(name, "permission")
    return codes


def problems_in(text: str, codes: dict[str, str], allowed: set[str]) -> Iterator[str]:
    """What is wrong with one page's visible text."""
    for match in OBJECT_NAME_RE.finditer(text):
        yield f"object name {match.group(0)!r}"
    cleaned = EMAIL_RE.sub(" ", text)
    for pattern in (URL_RE, TOTP_SECRET_RE, TRACKING_RE):
        cleaned = pattern.sub(" ", cleaned)
    # Dotted codes first ("proposal.register"), then words.
    for match in re.finditer(r"(?<![\w.])[a-z_]+\.[a-z_]+(?![\w.])", cleaned):
        token = match.group(0)
        if token in codes:
            yield f"{codes[token]} {token!r}"
    seen: set[str] = set()
    for match in WORD_RE.finditer(cleaned):
        word = match.group(0)
        if word in seen or word in allowed:
            continue
        seen.add(word)
        if word in codes:
            yield f"{codes[word]} {word!r}"
        else:
            yield f"English {word!r}"


# --- the crawl (tests/crawl.py, shared with the no-GET-writes test) -------------------


def problems_of(result: Crawl, role: str, check: Callable[[str], Iterable[str]]) -> list[str]:
    failures = []
    for visit in result.visits:
        if visit.status >= 500:
            failures.append(f"{role} {visit.path}: HTTP {visit.status}")
        elif visit.text is not None and not visit.path.startswith(TEXT_SKIPPED_PREFIXES):
            failures.extend(f"{role} {visit.path}: {problem}" for problem in check(visit.readable))
    return failures


class Check:
    def __init__(self, codes: dict[str, str], allowed: set[str]) -> None:
        self.codes = codes
        self.allowed = allowed

    def __call__(self, text: str) -> list[str]:
        return list(problems_in(text, self.codes, self.allowed))


def test_the_crawl_covers_every_login_the_demo_prints(demo: str) -> None:
    assert demo_logins(demo) == DEMO_LOGINS


def words_check() -> Check:
    """The check of every page's text (the crawl's test is tests/test_demo_crawl.py)."""
    allowed = ALLOWED_WORDS | DEMO_WORDS | set(DEMO_LOGINS) | set(FRESH_LOGINS)
    allowed |= {w for name in [*DEMO_LOGINS, *FRESH_LOGINS] for w in name.split("_")}
    return Check(raw_codes(), allowed)


# --- the checker itself ---------------------------------------------------------------


def test_visible_text_leaves_out_scripts_styles_and_attributes() -> None:
    page = parse(
        "<html><head><style>.a{color:red}</style><script>var draft = 1;</script></head>"
        '<body><p title="Hidden title">提案<b>草稿</b></p><a href="/x/1/">打开</a></body></html>'
    )
    assert page.text == "提案 草稿 打开"
    assert page.links == ["/x/1/"]
    # What a screen reader reads out is checked too, apart from the visible text.
    assert page.read_out == ["Hidden title"]


def test_the_checker_flags_codes_english_and_object_names_and_spares_the_allowed() -> None:
    codes = {"draft": "choice", "proposal.register": "audit action", "submit": "workflow action"}
    text = (
        "状态：draft，操作 proposal.register、submit；对象 accounts.user #15；Who is here；"
        "导出 Excel，扫描 QR 码，邮箱 a.b@example.org，网址 https://x.example/p/abc/，"
        "查询码 ABCD-EFGH-JKLM-NPQR"
    )
    found = list(problems_in(text, codes, {"QR", "Excel"}))
    assert "object name 'accounts.user #15'" in found
    assert "choice 'draft'" in found
    assert "audit action 'proposal.register'" in found
    assert "workflow action 'submit'" in found
    assert "English 'Who'" in found and "English 'is'" in found
    assert not any("Excel" in f or "QR" in f or "example" in f or "ABCD" in f for f in found)


def _subclasses(klass: type) -> Iterator[type]:
    for sub in klass.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_visible_form_field_has_a_label_of_its_own() -> None:
    """A field without a label shows its name ("Selected"), which no catalogue translates."""
    import importlib
    import pkgutil

    from django import forms

    for config in apps.get_app_configs():
        if not config.name.startswith("lvzhi."):
            continue
        for module in pkgutil.walk_packages(config.module.__path__, config.name + "."):
            if ".tests" not in module.name and ".migrations" not in module.name:
                importlib.import_module(module.name)
    unlabelled = sorted(
        f"{form.__module__}.{form.__name__}.{name}"
        for form in set(_subclasses(forms.BaseForm))
        if form.__module__.startswith("lvzhi.") and ".tests." not in form.__module__
        for name, form_field in getattr(form, "base_fields", {}).items()
        if form_field.label is None and not form_field.widget.is_hidden
    )
    assert unlabelled == []


def test_the_audit_trail_shows_states_sources_methods_and_objects_by_their_labels() -> None:
    from types import SimpleNamespace

    from django.utils import translation
    from django.utils.translation import pgettext

    from lvzhi.accounts.audit import detail_rows, object_name
    from lvzhi.duties.models import Activity, DutyKind
    from lvzhi.points.models import Grade
    from lvzhi.proposals.models import Proposal

    with translation.override("zh-hans"):
        rows = dict(
            detail_rows(
                {
                    "from_state": "draft",
                    "to_state": "published",
                    "source": "proposals.proposal:12",
                    "method": "GET",
                    "kind": "proposal_registered",
                    "grade": "not_competent",
                },
                "duties.activity",
            )
        )
        assert rows[pgettext("state change", "from")] == str(Activity.State.DRAFT.label)
        assert rows[pgettext("state change", "to")] == str(Activity.State.PUBLISHED.label)
        assert rows[pgettext("audit detail", "source")] == f"{Proposal._meta.verbose_name} #12"
        assert rows[pgettext("audit detail", "kind")] == str(DutyKind.PROPOSAL_REGISTERED.label)
        assert rows[pgettext("audit detail", "grade")] == str(Grade.NOT_COMPETENT.label)
        assert pgettext("HTTP method", "view") in rows.values()
        assert "GET" not in rows.values()
        gone = SimpleNamespace(object_label="", object_type="gone.model", object_id="15")
        assert object_name(gone) == f"{pgettext('audit detail', 'object')} #15"
        default = SimpleNamespace(
            object_label="Assessment object (3)", object_type="points.assessment", object_id="3"
        )
        assert "object" not in object_name(default) and object_name(default).endswith("#3")
