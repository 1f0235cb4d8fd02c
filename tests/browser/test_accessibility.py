"""Accessibility and the phone, measured in Chromium (DESIGN §12):

- axe-core (vendored, static/vendor/axe-core) finds no serious or critical
  WCAG 2.1 A/AA violation on the pages each role works on, on a phone and a
  desktop: on every page type every demo login reaches, and on the public
  pages a citizen opens from a QR code (see
  ``test_every_page_type_of_every_demo_role_has_no_serious_accessibility_violation``);
- the elder-friendly mode (长辈版) gives text of at least 18 px, line height
  of at least 1.5 and tap targets of at least 60 px, and a simpler home;
- the site is installable: a manifest, a service worker that controls the
  page, and the offline page when the network is gone;
- a draft typed in a form survives the loss of the connection.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import expect

from lvzhi.accounts.tests.factories import PASSWORD
from lvzhi.proposals.tests.conftest import assigned, build_world, draft
from tests.browser.conftest import CONTEXT_DEFAULTS, DESKTOP, PHONE, TIMEOUT_MS, login
from tests.crawl import ANONYMOUS, DEMO_LOGINS, walks_of

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

BLOCKING = {"serious", "critical"}


def axe_violations(page: Any) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations on the page, readable."""
    # Loaded from the live server like any script: the CSP refuses inline ones.
    origin = page.evaluate("() => location.origin")
    page.add_script_tag(url=origin + static("vendor/axe-core/axe.min.js"))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
          return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in BLOCKING
    ]


def assert_accessible(page: Any, url: str) -> None:
    page.goto(url)
    problems = axe_violations(page)
    assert not problems, f"{url}:\n" + "\n".join(problems)


def test_the_pages_of_member_staff_and_unit_have_no_serious_accessibility_violation(
    live_server: Any, browser: Any
) -> None:
    world = build_world("a11y")
    proposal = draft(world)
    assigned(world, title="关于改善老旧小区加装电梯的建议")
    base = live_server.url
    walks = [
        (
            world.proposer_user,
            {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
            [
                reverse("home"),
                reverse("proposals:mine"),
                reverse("proposals:create"),
                reverse("proposals:detail", args=[proposal.pk]),
                reverse("core:inbox"),
            ],
        ),
        (
            world.staff,
            {"viewport": {"width": 1280, "height": 800}},
            [reverse("home"), reverse("proposals:list"), reverse("accounts:password_change")],
        ),
        (
            world.lead_user,
            {"viewport": {"width": 1280, "height": 800}},
            [reverse("home"), reverse("proposals:unit_inbox")],
        ),
    ]
    for user, viewport, urls in walks:
        context = browser.new_context(locale="zh-CN", **viewport)
        page = context.new_page()
        login(page, base, user.username, PASSWORD)
        for url in urls:
            assert_accessible(page, base + url)
        context.close()
    anonymous = browser.new_context(locale="zh-CN")
    page = anonymous.new_page()
    assert_accessible(page, base + reverse("accounts:login"))
    anonymous.close()


# The demo logins who work on a phone; every other login works on a desktop.
PHONE_ROLES = {ANONYMOUS, "weiyuan", "convener"}
# Page types whose content is the role's own (the home page is each role's
# to-do list): checked for every role, the others once per viewport.
EVERY_ROLE = {"home"}
# Not our markup: the API's documentation is Swagger UI (vendored by
# django-ninja), drawn by its script after the page loaded (the words test
# leaves it out too). Its page declares our language (templates/ninja/).
NOT_OURS = {"api_v1:openapi-view"}


def _by_view(_path: str, name: str) -> tuple[str, tuple[str, ...]]:
    """One page type: a view, whatever its ids, codes and query."""
    return name, ()


def _citizen_track_url() -> str:
    """The tracking page of a message sent from the first venue and answered,
    so that it shows the reply and the rating form."""
    from lvzhi.public import codes, services
    from lvzhi.public.models import Venue

    venue = Venue.objects.filter(is_active=True).order_by("pk").first()
    assert venue is not None
    sent = services.message_submit(
        venue=venue,
        category="suggestion",
        text="建议在社区公园增设夜间照明。",
        form_token=codes.new_form_token(),
        ip="198.51.100.7",
    )
    services.message_reply(message=sent.message, text="已转交街道办理。", public=True, actor=None)
    return reverse("public:track", args=[sent.code])


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the markup axe judges is the same on every database; run once, on SQLite",
)
def test_every_page_type_of_every_demo_role_has_no_serious_accessibility_violation(
    live_server: Any, browser: Any
) -> None:
    """Every page type of every demo login, and the citizen's QR pages.

    Run in the SQLite suite only: templates and CSS are what axe judges, the
    same whichever database served the rows, and the walk is the suite's
    slowest test (`make ci` runs the suite on both databases).

    The demo cannot come from the session's shared ``demo`` fixture: the live
    server's thread sees only committed rows, and the shared demo lives in an
    open transaction. So the test seeds its own (``seed_demo``), committed; the
    flush after the test removes it.

    For each role — the 16 demo logins, and an anonymous citizen on the venue
    pages, the tracking form and the tracking page of an answered message — a
    Django client walks the same-site GET links from the home page of every
    committee the login works in (tests/crawl.py, the walk of the words test,
    here one visit per page type: a view, whatever its ids and query). Then
    Chromium, in the same session, opens one URL of each page type in the
    role's viewport — a 390×844 phone for the citizen, members and the
    convener, a 1280×800 desktop for everybody else — and runs axe. A page type
    already checked for another role in the same viewport is skipped, except
    the home page, which is each role's own; so is the API's documentation
    (``NOT_OURS``). The figures are printed (``-s``).
    """
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    seeded = time.monotonic()
    walk = axe_walk(browser, live_server.url)
    print(
        f"\naxe: seeded in {seeded - started:.0f} s, crawled in {walk.crawl_seconds:.0f} s, "
        f"{len(walk.checked[True])} phone and {len(walk.checked[False])} desktop page types "
        f"checked in {walk.axe_seconds:.0f} s"
    )
    print("\n".join(walk.report))
    assert len(walk.checked[True]) > 10 and len(walk.checked[False]) > 50, walk.checked
    assert not walk.failures, f"{len(walk.failures)} violations:\n" + "\n".join(walk.failures)


@dataclass
class AxeWalk:
    failures: list[str] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    # The page types checked on a phone (True) and on a desktop (False).
    checked: dict[bool, set[str]] = field(default_factory=lambda: {True: set(), False: set()})
    crawl_seconds: float = 0.0
    axe_seconds: float = 0.0


def axe_walk(browser: Any, base: str) -> AxeWalk:
    """Walk as each role, and run axe once per page type in its viewport."""
    result = AxeWalk()
    track = _citizen_track_url()
    for role in [ANONYMOUS, *DEMO_LOGINS]:
        phone = role in PHONE_ROLES
        context = browser.new_context(**CONTEXT_DEFAULTS, **(PHONE if phone else DESKTOP))
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        mine: list[str] = []
        walks = walks_of(role, audit_actions=False, per_shape=1, shape_of=_by_view)
        while True:
            began = time.monotonic()
            step = next(walks, None)
            crawled = time.monotonic()
            result.crawl_seconds += crawled - began
            if step is None:
                break
            client, part = step
            # The browser shares the client's session, so works in the same committee.
            cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
            if cookie is not None:
                context.add_cookies(
                    [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
                )
            result.failures += [
                f"{role} {v.path}: HTTP {v.status}" for v in part.visits if v.status >= 500
            ]
            pages = [(v.name, v.path) for v in part.pages()]
            if role == ANONYMOUS:
                pages.append(("public:track", track))
            for name, path in pages:
                if name in NOT_OURS or (name in result.checked[phone] and name not in EVERY_ROLE):
                    continue
                result.checked[phone].add(name)
                mine.append(name)
                page.goto(base + path)
                result.failures += [f"{role} {path}: {problem}" for problem in axe_violations(page)]
            result.axe_seconds += time.monotonic() - crawled
        context.close()
        viewport = "phone" if phone else "desktop"
        result.report.append(f"{role} ({viewport}): {' '.join(mine)}")
    return result


def switch_elder_mode(page: Any) -> None:
    """Through the account menu of the phone's collapsed navigation bar."""
    page.locator(".navbar-toggler").click()
    # Bootstrap animates the menu open; click inside it once it has opened.
    expect(page.locator("#main-nav.collapse.show")).to_be_visible()
    page.locator("#main-nav .dropdown-toggle").click()
    expect(page.locator("#main-nav .dropdown-menu.show")).to_be_visible()
    with page.expect_navigation():
        page.locator("#elder-mode-switch button").click()


def test_the_elder_friendly_mode_enlarges_text_and_tap_targets_and_simplifies_home(
    live_server: Any, phone_page: Any
) -> None:
    world = build_world("elder")
    draft(world)
    page = phone_page
    login(page, live_server.url, world.proposer_user.username, PASSWORD)
    switch_elder_mode(page)
    expect(page.locator("html")).to_have_class("elder-mode")
    measures = page.evaluate(
        """() => {
          const px = (el, prop) => parseFloat(getComputedStyle(el)[prop]);
          const texts = Array.from(document.querySelectorAll("main *"))
            .filter(el => el.offsetParent !== null && el.childNodes.length &&
              Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
          const taps = Array.from(document.querySelectorAll(
              "main a.btn, main button, main .list-group-item-action"))
            .filter(el => el.offsetParent !== null);
          return {
            smallestText: Math.min(...texts.map(el => px(el, "fontSize"))),
            lineHeight: px(document.body, "lineHeight") / px(document.body, "fontSize"),
            smallestTap: Math.min(...taps.map(el => el.getBoundingClientRect().height)),
            taps: taps.length,
          };
        }"""
    )
    assert measures["smallestText"] >= 18, measures
    assert measures["lineHeight"] >= 1.5, measures
    assert measures["taps"] > 0 and measures["smallestTap"] >= 60, measures
    # The simpler home: to-dos that wait, no zero counts, no explanations.
    expect(page.locator(".todo-muted")).to_have_count(0)
    expect(page.locator(".home-todo")).not_to_have_count(0)
    # And back to the standard mode.
    switch_elder_mode(page)
    expect(page.locator("html")).not_to_have_class("elder-mode")


def test_the_site_installs_and_shows_the_offline_page_without_a_network(
    live_server: Any, phone_page: Any
) -> None:
    world = build_world("pwa")
    page = phone_page
    login(page, live_server.url, world.proposer_user.username, PASSWORD)
    manifest = page.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
    )
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now the worker controls the page
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.context.set_offline(True)
    page.goto(live_server.url + reverse("proposals:mine"))
    expect(page.locator("#offline-page")).to_be_visible()
    page.context.set_offline(False)


def test_a_draft_typed_on_a_phone_survives_a_lost_connection(
    live_server: Any, phone_page: Any
) -> None:
    world = build_world("drafts")
    page = phone_page
    login(page, live_server.url, world.proposer_user.username, PASSWORD)
    create = live_server.url + reverse("proposals:create")
    page.goto(create)
    page.fill("#id_title", "关于在社区设立长者食堂的建议")
    page.fill("#id_reason", "老年人就餐不便，子女白天上班无暇照顾。")
    page.context.set_offline(True)
    page.locator("#save-draft").click()
    expect(page.locator("[data-draft-offline]")).to_be_visible()
    page.context.set_offline(False)
    page.goto(live_server.url + reverse("home"))
    page.goto(create)
    expect(page.locator("#id_title")).to_have_value("关于在社区设立长者食堂的建议")
    expect(page.locator("#id_reason")).to_have_value("老年人就餐不便，子女白天上班无暇照顾。")
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    # Saved for real: the kept copy is gone, the next new form is empty.
    with page.expect_navigation():
        page.locator("#save-draft").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(create)
    expect(page.locator("#id_title")).to_have_value("")
