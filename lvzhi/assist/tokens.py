"""Chinese text to the word tokens the index, the similarity and the unit
model share (jieba, offline, with its bundled dictionary).

Only tokens made of letters and digits are kept: punctuation, emoji and
operators never reach an engine, so a hostile query cannot change the meaning
of an FTS5 or tsquery expression."""

from __future__ import annotations

import functools
import logging

import jieba

# jieba prints its dictionary loading to stderr; the log is enough.
jieba.setLogLevel(logging.WARNING)

QUERY_MAX_CHARS = 200  # a search box query is a few words; longer input is cut here
QUERY_MAX_TOKENS = 16

# Words too common in every proposal to tell two apart.
_STOPWORDS = """的 了 和 与 及 等 在 是 对 为 将 把 由 从 以 就 并 或 也 都 而 其 之 中 上 下
    我 我们 你 他 她 它 这 那 有 无 不 没有 一个 一些 进一步 加强 推进 提升 完善
    建议 关于 问题 工作 相关 有关 方面 目前 当前 存在 通过 进行 开展 实现 我县 我市
    一是 二是 三是 四是 五是"""
STOPWORDS = frozenset(_STOPWORDS.split())


def _kept(token: str) -> bool:
    return token.isalnum()


# jieba cuts a line break like any other separator (it never joins the
# text on its two sides), so a text's tokens are its lines' tokens in turn,
# and a line is cut once however often it recurs: a category, a unit's name,
# a proposal's fixed sentences (and every text of the generated datasets).
LINE_CACHE = 4096


@functools.lru_cache(maxsize=LINE_CACHE)
def _index_line(line: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in jieba.cut_for_search(line) if _kept(t))


@functools.lru_cache(maxsize=LINE_CACHE)
def _content_line(line: str) -> tuple[str, ...]:
    return tuple(
        t.lower()
        for t in jieba.cut(line)
        if _kept(t) and len(t) > 1 and t not in STOPWORDS and not t.isdigit()
    )


def forget_lines() -> None:
    """Empty the line caches (the latency bench, so each request cuts its draft)."""
    _index_line.cache_clear()
    _content_line.cache_clear()


def index_tokens(text: str) -> list[str]:
    """Search-mode tokens (long words and their parts), lower-cased, in order."""
    return [t for line in text.split("\n") for t in _index_line(line)]


def content_tokens(text: str) -> list[str]:
    """Precise-mode tokens without stop words or single characters: what
    similarity and the unit model compare."""
    return [t for line in text.split("\n") for t in _content_line(line)]


def query_tokens(text: str) -> list[str]:
    """The distinct tokens of a search query (precise mode: each is also a
    search-mode token of any text containing it), at most QUERY_MAX_TOKENS."""
    seen: dict[str, None] = {}
    for token in jieba.cut(text[:QUERY_MAX_CHARS]):
        if _kept(token):
            seen.setdefault(token.lower(), None)
    return list(seen)[:QUERY_MAX_TOKENS]
