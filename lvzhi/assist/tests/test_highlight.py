"""Highlights: matches are found in the raw text and every piece is escaped,
so a match never splits an entity and the source never becomes markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.assist import indexing
from lvzhi.assist.highlight import excerpt, highlight
from lvzhi.assist.tokens import query_tokens
from lvzhi.proposals.tests.conftest import World, registered

TEXTS = [
    "关于A&B路口<b>拥堵</b>的建议",
    "amp &amp; lt &lt; gt &gt; quot &quot; 39 &#39; x27 &#x27;",
    '他说"停车难"，\'停车\'更难 <script>alert("停车")</script>',
    "<<>>&&\"\"''停车&停车<停车>",
    "Tom & Jerry <i>AMP</i> Amp amp",
]
QUERIES = ["amp", "lt", "gt", "quot", "x27", "39", "停车", "script", "b", "i", "Amp", "拥堵 amp"]


class _Tags(HTMLParser):
    """The tags and the text of a fragment, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("query", QUERIES)
def test_only_marks_are_markup_and_the_text_reads_back_unchanged(text: str, query: str) -> None:
    tokens = query_tokens(query)
    for out in (highlight(text, tokens), excerpt(text, tokens, size=1000)):
        read = _read(str(out))
        assert set(read.tags) <= {"mark", "/mark"}
        assert "".join(read.text) == text
        # No entity is ever split: every & starts a whole entity of escape().
        assert all(
            str(out)[i:].startswith(("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;"))
            for i, c in enumerate(str(out))
            if c == "&"
        )


def test_a_match_inside_an_entity_is_not_marked() -> None:
    assert str(highlight("A&B", ["amp"])) == "A&amp;B"
    assert str(highlight("a<b>", ["lt", "gt"])) == "a&lt;b&gt;"
    assert str(highlight("it's", ["x27", "27"])) == "it&#x27;s"
    assert str(highlight('"q"', ["quot"])) == "&quot;q&quot;"


def test_a_match_next_to_special_characters_is_marked_and_escaped() -> None:
    assert str(highlight("amp&amp", ["amp"])) == "<mark>amp</mark>&amp;<mark>amp</mark>"
    assert str(highlight("<停车>", ["停车"])) == "&lt;<mark>停车</mark>&gt;"
    assert str(highlight("AMP & Amp", ["amp"])) == "<mark>AMP</mark> &amp; <mark>Amp</mark>"


def test_longer_tokens_win_and_no_tokens_only_escape() -> None:
    assert str(highlight("城市交通", ["城市", "城市交通"])) == "<mark>城市交通</mark>"
    assert str(highlight("<a & b>", [])) == "&lt;a &amp; b&gt;"


@pytest.mark.django_db
def test_the_page_never_splits_an_entity_nor_lets_markup_through(
    world: World, client: Client
) -> None:
    registered(
        world,
        title='关于"A&B"路口<i>停车</i>amp的建议',
        reason="amp & <script>alert('停车')</script> 停车难 " * 5,
    )
    indexing.rebuild()
    client.force_login(world.staff)
    page = client.get(reverse("assist:search"), {"q": "停车 amp"}).content.decode()
    results = page[page.index('id="search-results"') :]
    results = results[: results.index("</ol>")]
    assert "&<mark>amp</mark>;" not in results
    assert "<mark>amp</mark>" in results
    assert "<script>" not in results and "<i>" not in results
    assert "&lt;i&gt;<mark>停车</mark>&lt;/i&gt;" in results
    assert "&quot;A&amp;B&quot;" in results
