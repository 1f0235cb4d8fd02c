"""What protects the public channel from floods and abuse: counters kept in
a table (atomic across processes and database backends), the hourly limits,
the venue surge that holds messages for review, the held-word match after
normalising, and the aggregated audit of refusals.

Counting is the kernel's (``core.ratelimit``: one atomic upsert in the
``RateCounter`` table, also with parallel requests); this module holds the
public channel's policy on top of it.

Refusals (rate limit, honeypot) are audited once per venue, kind and minute:
the first refusal of the minute writes the row (its counter went from 0 to
1); later ones only count. Before the kernel's hourly prune deletes old
counters, ``refusals_summarise`` writes one summary row with the minute's
total for every minute that had more than one refusal — so a flood costs at most two audit
rows a minute per venue and kind, and the total is still on record."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import setting_value
from lvzhi.core.errors import DomainError
from lvzhi.core.models import RateCounter
from lvzhi.core.ratelimit import MINUTE, counter_bump, counter_value, window_now
from lvzhi.public import audit
from lvzhi.public import settings_defs as limits
from lvzhi.public.models import Venue

# Wrong tracking codes one address may try in an hour before it must wait.
TRACK_MISSES_PER_HOUR = 30

REFUSED_RATE = "rate_limit"
REFUSED_HONEYPOT = "honeypot"
_REFUSAL_PREFIX = "refused:"


class RateLimited(DomainError):
    """Too many messages in the last hour from one address."""


def _address_key(ip: str | None) -> str:
    return hashlib.sha256((ip or "unknown").encode()).hexdigest()[:32]


def refusal_record(*, venue: Venue, kind: str) -> None:
    """Count a refusal at the venue; the first of the minute is audited."""
    minute = window_now(MINUTE)
    if counter_bump(f"{_REFUSAL_PREFIX}{kind}:{venue.pk}", minute) == 1:
        audit_log(
            action=audit.PUBLIC_REFUSED,
            obj=venue,
            committee=venue.committee,
            result="denied",
            kind=kind,
            minute=minute,
        )


def rate_limit_check(*, venue: Venue, ip: str | None) -> bool:
    """Count this message; refuse past the hourly limit of one address
    (RateLimited, audited). Returns True when the venue is past its hourly
    surge threshold: the message is then held for review, never refused, so
    a busy community centre does not close its venue."""
    per_ip = setting_value(venue.committee, limits.PER_IP_PER_HOUR)
    surge = setting_value(venue.committee, limits.PER_VENUE_PER_HOUR)
    if counter_bump(f"public:ip:{_address_key(ip)}") > per_ip:
        refusal_record(venue=venue, kind=REFUSED_RATE)
        raise RateLimited(
            _(
                "You have sent %(n)s messages in the last hour, the most we accept from one "
                "network. Please try again in an hour."
            )
            % {"n": per_ip}
        )
    return counter_bump(f"public:venue:{venue.pk}") > surge


def _track_misses_key(ip: str | None) -> str:
    return f"public:track-miss:{_address_key(ip)}"


def track_misses_exceeded(*, ip: str | None) -> bool:
    """Brute-force protection of the tracking codes: too many wrong ones from
    this address in the hour (the page and the API count the same)."""
    return counter_value(_track_misses_key(ip)) >= TRACK_MISSES_PER_HOUR


def track_miss_count(*, ip: str | None) -> None:
    counter_bump(_track_misses_key(ip))


def refusals_summarise(old: QuerySet[RateCounter]) -> None:
    """Before old counters are pruned (core.ratelimit.on_prune): one audit
    row with the total for every closed minute of more than one refusal."""
    venues = {}
    for row in old.filter(key__startswith=_REFUSAL_PREFIX, count__gt=1).order_by("pk"):
        kind, _sep, venue_id = row.key.removeprefix(_REFUSAL_PREFIX).rpartition(":")
        if venue_id not in venues:
            venues[venue_id] = Venue.objects.select_related("committee").filter(pk=venue_id).first()
        venue = venues[venue_id]
        if venue is not None:
            audit_log(
                action=audit.PUBLIC_REFUSALS_COUNTED,
                obj=venue,
                committee=venue.committee,
                kind=kind,
                minute=row.window,
                count=row.count,
            )


# --- Held words -----------------------------------------------------------------------------

# Common traditional characters and their simplified forms: a word listed in
# either script holds a message written in the other.
_TRADITIONAL = (
    "廣广賭赌發发開开資资訊讯號号碼码電电話话錢钱貸贷槍枪彈弹藥药詐诈騙骗傳传銷销偽伪僞伪"
    "證证買买賣卖網网絡络據据黨党國国會会議议員员選选舉举擊击殺杀違违敗败贓赃賄贿賂赂權权"
    "門门關关戰战亂乱動动遊游鬥斗聯联繫系係系為为這这們们個个來来時时對对說说還还過过從从"
    "後后種种問问題题應应當当與与學学寫写體体區区縣县鎮镇業业價价辦办費费幣币銀银紅红黃黄"
    "賠赔償偿補补貼贴轉转帳账賬账線线約约車车馬马鳥鸟魚鱼長长見见東东無无極极氣气萬万億亿"
    "歲岁書书飛飞機机齊齐頭头顯显實实義义慶庆龍龙鐵铁變变點点熱热燈灯讓让認认識识記记計计"
    "講讲論论設设訪访請请謝谢讀读調调談谈該该語语誤误讚赞鄉乡紀纪級级組组織织結结給给統统"
    "經经總总綠绿維维編编練练續续聽听師师醫医療疗衛卫導导專专將将盡尽歸归夢梦場场壞坏壓压"
    "獎奖奪夺婦妇孫孙寶宝層层島岛幫帮廠厂廢废張张態态憲宪懷怀戶户擔担擁拥擇择攜携敵敌斷断"
    "暫暂術术條条構构標标樓楼樣样橋桥檢检歡欢殘残滅灭漢汉災灾爭争牽牵獨独環环產产畫画盤盘"
    "禮礼離离穩稳競竞築筑簽签糧粮緊紧罰罚羅罗職职腦脑藝艺蘇苏處处虛虚蟲虫裝装製制複复覺觉"
    "規规視视親亲觀观貧贫責责貨货質质購购貿贸趨趋跡迹蹤踪軍军輕轻載载較较輸输辭辞農农運运"
    "達达遠远適适遲迟邊边郵邮鄰邻醜丑釋释針针錄录錯错鍵键鐘钟鋼钢閱阅陽阳陰阴隊队際际險险"
    "隨随雙双雜杂難难雲云靜静響响項项順顺須须預预領领頻频顏颜風风飯饭館馆驗验髮发魯鲁麼么"
    "齒齿獄狱毒毒騷骚擾扰違违約约嫖嫖娼娼賭赌禍祸災灾淫淫穢秽"
)
_TO_SIMPLIFIED = str.maketrans(
    {
        _TRADITIONAL[i]: _TRADITIONAL[i + 1]
        for i in range(0, len(_TRADITIONAL), 2)
        if _TRADITIONAL[i] != _TRADITIONAL[i + 1]
    }
)


def normalised(text: str) -> str:
    """The form words are compared in: NFKC (full-width letters and digits to
    plain ones), without invisible format characters (zero-width spaces and
    joiners, soft hyphens, direction marks) or any white space, case-folded,
    traditional characters as simplified."""
    text = unicodedata.normalize("NFKC", text)
    kept = (ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")
    return "".join(kept).casefold().translate(_TO_SIMPLIFIED)


def held_words_in(text: str, words: Sequence[str]) -> list[str]:
    """The listed words found in ``text``, both normalised (as listed)."""
    plain = normalised(text)
    return [w for w in words if normalised(w) and normalised(w) in plain]
