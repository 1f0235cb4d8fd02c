"""Users never see a code, and the interface speaks Chinese (DESIGN §5 Language,
§12 "Users never see a code"; issue 12, "Words").

The test walks the demo as every demo login and as an anonymous visitor: from
the home page (and, for the visitor, the public pages a QR code opens) it
follows every same-site GET link breadth-first. On every HTML page it takes
the visible text (text nodes, without <script>/<style> and without tags'
attributes) and fails on

(a) a raw code: a choice value of any model field of our apps that looks like
    an identifier ("draft", "in_editing"), a workflow action code ("submit"),
    an audit action code ("proposal.register"), a django-rules permission name
    ("proposals.register_proposal") or an object's default name
    ("accounts.user #15");
(b) English: any word of two or more ASCII letters that is not on the
    allow-list below (proper names and accepted tokens, see docs/i18n.md),
    after e-mail addresses, URLs and tracking codes are taken out;

and on any response 500. The crawl stays bounded: a URL path with its numeric
ids replaced by ``<n>`` (and the names of its query parameters) is visited at
most ``VISITS_PER_PATTERN`` times per role, pages beyond 2 are skipped, and so
are logout, static and media files, the API and exports.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.test import Client

from lvzhi.accounts.models import User

pytestmark = pytest.mark.usefixtures("demo")

VISITS_PER_PATTERN = 2
MAX_PAGES_PER_ROLE = 250
MAX_PAGE = 2

SKIP_PREFIXES = ("/accounts/logout", "/static/", "/media/", "/api/")
EXPORT_SUFFIXES = (".xlsx", ".csv", ".docx", ".pdf", ".svg", ".png", ".jpg", ".zip")
# Paths that deliver a file, not a page (exports, photos, posters to print).
EXPORT_WORDS = ("export", "download", "/photo/", "attachment")

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
DOTTED_RE = re.compile(r"^[a-z_]+\.[a-z_]+$")
OBJECT_NAME_RE = re.compile(r"\b[a-z_]+\.[a-z_]+ #\d+")
NUMBER_SEGMENT_RE = re.compile(r"/\d+(?=/|$)")


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


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style>, <template>."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        # Block elements separate words.
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def parse(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


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


# --- the crawl ------------------------------------------------------------------------


def pattern_of(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    keys = tuple(sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)}))
    return NUMBER_SEGMENT_RE.sub("/<n>", parts.path), keys


def followable(href: str) -> str | None:
    """The same-site GET link to follow, or None."""
    if not href.startswith("/") or href.startswith("//"):
        return None
    url = href.split("#", 1)[0]
    parts = urlsplit(url)
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(EXPORT_SUFFIXES):
        return None
    if any(word in path for word in EXPORT_WORDS):
        return None
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if query.get("format") in {"xlsx", "csv", "docx", "pdf"}:
        return None
    page = query.get("page", "1")
    if not page.isdigit() or int(page) > MAX_PAGE:
        return None
    return url


@dataclass
class Walk:
    role: str
    pages: int = 0
    failures: list[str] = field(default_factory=list)


def crawl(
    client: Client, role: str, start: Iterable[str], check: Check, always: Iterable[str] = ()
) -> Walk:
    """Breadth-first from ``start``; the ``always`` URLs are visited whatever
    their pattern (the audit trail one action at a time)."""
    walk = Walk(role)
    queue = deque(start)
    queue.extend(always)
    queued = set(queue)
    every = set(always)
    visits: dict[tuple[str, tuple[str, ...]], int] = {}
    while queue and walk.pages < MAX_PAGES_PER_ROLE + len(every):
        url = queue.popleft()
        pattern = pattern_of(url)
        if url not in every and visits.get(pattern, 0) >= VISITS_PER_PATTERN:
            continue
        visits[pattern] = visits.get(pattern, 0) + 1
        response = client.get(url)
        walk.pages += 1
        if response.status_code >= 500:
            walk.failures.append(f"{role} {url}: HTTP {response.status_code}")
            continue
        if response.status_code in (301, 302, 303):
            links = [response["Location"]]
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            page = parse(response.content.decode())
            for problem in check(page.text):
                walk.failures.append(f"{role} {url}: {problem}")
            links = page.links
        else:
            continue
        for href in links:
            found = followable(href)
            if found is not None and found not in queued:
                queued.add(found)
                queue.append(found)
    return walk


class Check:
    def __init__(self, codes: dict[str, str], allowed: set[str]) -> None:
        self.codes = codes
        self.allowed = allowed

    def __call__(self, text: str) -> list[str]:
        return list(problems_in(text, self.codes, self.allowed))


def demo_logins(seed_output: str) -> list[str]:
    """The usernames of the login table seed_demo printed."""
    names = []
    for line in seed_output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] == "Demo-2026!":
            names.append(cells[1])
    return names


def public_start_urls() -> list[str]:
    from django.urls import reverse

    from lvzhi.public.models import Venue

    venues = Venue.objects.order_by("pk").values_list("code", flat=True)[:2]
    return [
        "/",
        reverse("accounts:login"),
        reverse("public:track_lookup"),
        *(reverse("public:venue_page", args=[code]) for code in venues),
    ]


def audit_urls(user: User) -> list[str]:
    """The audit trail filtered by each action in it, for a user who may read it:
    the details of every kind of row, not only the newest two pages."""
    from django.urls import reverse

    from lvzhi.accounts.selectors import audit_actions_for
    from lvzhi.org.models import Committee

    urls = []
    for committee in Committee.objects.order_by("pk"):
        if user.has_perm("core.view_audit", committee):
            url = reverse("accounts:audit_list")
            urls += [f"{url}?action={code}" for code in audit_actions_for(committee)]
            break  # the user's current committee (the first); the other's are alike
    return urls


# Every login of the demo's table, one test each, so that parallel workers
# share the crawl; the first test below fails when the table changes.
DEMO_LOGINS = [
    "weiyuan",
    "convener",
    "staff_proposals",
    "staff_opinions",
    "staff_duties",
    "staff_consultations",
    "staff_public",
    "staff_org",
    "district_staff",
    "leader",
    "unit",
    "gov_leader",
    "sysadmin",
    "secadmin",
    "auditor",
    "district_duties",
]
ANONYMOUS = "anonymous"


def test_the_crawl_covers_every_login_the_demo_prints(demo: str) -> None:
    assert demo_logins(demo) == DEMO_LOGINS


@pytest.mark.parametrize("role", [ANONYMOUS, *DEMO_LOGINS])
def test_no_page_shows_a_code_or_english_to_any_role(demo: str, role: str) -> None:
    allowed = ALLOWED_WORDS | DEMO_WORDS | set(DEMO_LOGINS)
    allowed |= {w for name in DEMO_LOGINS for w in name.split("_")}
    check = Check(raw_codes(), allowed)
    started = time.monotonic()
    if role == ANONYMOUS:
        walk = crawl(Client(), role, public_start_urls(), check)
    else:
        user = User.objects.get(username=role)
        client = Client()
        client.force_login(user)
        walk = crawl(client, role, ["/"], check, always=audit_urls(user))
    print(f"\ncrawl: {role} {walk.pages} pages in {time.monotonic() - started:.1f} s")
    assert walk.pages > 1, role
    assert walk.failures == [], f"{len(walk.failures)} problems:\n" + "\n".join(walk.failures)


# --- the checker itself ---------------------------------------------------------------


def test_visible_text_leaves_out_scripts_styles_and_attributes() -> None:
    page = parse(
        "<html><head><style>.a{color:red}</style><script>var draft = 1;</script></head>"
        '<body><p title="Hidden title">提案<b>草稿</b></p><a href="/x/1/">打开</a></body></html>'
    )
    assert page.text == "提案 草稿 打开"
    assert page.links == ["/x/1/"]


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


def test_the_crawl_skips_exports_logout_pages_beyond_two_and_other_sites() -> None:
    assert followable("/proposals/?page=2") == "/proposals/?page=2"
    assert followable("/proposals/?page=3") is None
    assert followable("/proposals/export/") is None
    assert followable("/proposals/list.xlsx") is None
    assert followable("/accounts/logout/") is None
    assert followable("/static/css/lvzhi.css") is None
    assert followable("/api/v1/docs") is None
    assert followable("https://example.org/") is None
    assert followable("//example.org/") is None
    assert followable("/proposals/12/#timeline") == "/proposals/12/"
    assert pattern_of("/proposals/12/events/3/?b=1&a=2") == (
        "/proposals/<n>/events/<n>/",
        ("a", "b"),
    )


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
