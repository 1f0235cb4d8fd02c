"""Scheme files: a policy (kinds and the events they map, parts, categories,
count rules, roles, grades, requirement sets, vetoes) as a JSON document,
read with every error located by its path in the file (``kinds[3].points``).

The format is documented in docs/points.md ("Scheme files"). ``load``
validates and returns a ``language.Scheme``; ``dump`` writes one back, and
``load(dump(s)) == s``. Numbers are JSON numbers or strings ("2.5", "1/3")
so that exact fractions survive the trip."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.points.language import (
    PLAIN,
    Category,
    CountRule,
    Grade,
    Item,
    Kind,
    Part,
    RequirementSet,
    Roles,
    Scheme,
    Veto,
)

FORMAT = "lvzhi.points/1"
MAX_ITEMS = 200


class Reader:
    """Collects located errors while reading; raises them all at the end."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path or '$'}：{message}")

    def get(self, data: Any, key: str, path: str, kind: type, required: bool = True) -> Any:
        if not isinstance(data, dict):
            return None
        if key not in data or data[key] is None:
            if required:
                self.error(f"{path}.{key}".lstrip("."), _("This is required."))
            return None
        value = data[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.error(f"{path}.{key}".lstrip("."), _("Give a whole number."))
            return None
        if kind is not int and not isinstance(value, kind):
            messages = {
                str: _("Give a text."),
                list: _("Give a list."),
                dict: _("Give an object."),
                bool: _("Give true or false."),
            }
            self.error(f"{path}.{key}".lstrip("."), messages.get(kind, _("Wrong type.")))
            return None
        return value

    def number(self, data: Any, key: str, path: str, required: bool = True) -> Fraction | None:
        if not isinstance(data, dict) or data.get(key) is None:
            if required:
                self.error(f"{path}.{key}".lstrip("."), _("This is required."))
            return None
        return self.fraction(data[key], f"{path}.{key}".lstrip("."))

    def fraction(self, value: Any, path: str) -> Fraction | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(path, _("Give a number, such as 5, 2.5 or 1/3."))
            return None
        try:
            if isinstance(value, str) and "/" in value:
                result = Fraction(value.strip())
            else:
                result = Fraction(Decimal(str(value).strip()))
        except (ValueError, ZeroDivisionError, InvalidOperation):
            self.error(path, _("Give a number, such as 5, 2.5 or 1/3."))
            return None
        if abs(result) > 10000:
            self.error(path, _("The number is too large."))
            return None
        return result

    def items(self, data: Any, key: str, path: str, required: bool = True) -> list[Any]:
        value = self.get(data, key, path, list, required)
        if value is None:
            return []
        if len(value) > MAX_ITEMS:
            self.error(f"{path}.{key}".lstrip("."), _("Too many entries."))
            return []
        return value

    def code(self, data: Any, path: str, seen: set[str]) -> str:
        code = self.get(data, "code", path, str) or ""
        if code and (len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum()):
            self.error(f"{path}.code", _("A code is letters, digits, - and _ (at most 32)."))
        elif code in seen:
            self.error(f"{path}.code", _("This code is used twice."))
        seen.add(code)
        return code

    def label(self, data: Any, path: str) -> str:
        label = (self.get(data, "label", path, str) or "").strip()
        if isinstance(data, dict) and isinstance(data.get("label"), str) and not label:
            self.error(f"{path}.label", _("This is required."))
        if len(label) > 100:
            self.error(f"{path}.label", _("At most 100 characters."))
        return label


def _tiers(r: Reader, data: Any, path: str) -> tuple[tuple[int, Fraction], ...]:
    tiers = []
    for i, tier in enumerate(r.items(data, "tiers", path, required=False)):
        at = f"{path}.tiers[{i}]"
        at_least = r.get(tier, "at_least", at, int) if isinstance(tier, dict) else None
        points = r.number(tier, "points", at) if isinstance(tier, dict) else None
        if not isinstance(tier, dict):
            r.error(at, _("Give an object."))
        elif at_least is not None and at_least < 1:
            r.error(f"{at}.at_least", _("Give a whole number of at least 1."))
        elif at_least is not None and points is not None:
            tiers.append((at_least, points))
    return tuple(tiers)


def _count(r: Reader, data: Any, path: str) -> CountRule:
    rule = r.get(data, "count", path, dict, required=False)
    if rule is None:
        return PLAIN
    at = f"{path}.count"
    start = r.get(rule, "from", at, int, required=False)
    start = 1 if start is None else start
    at_most = r.get(rule, "at_most", at, int, required=False)
    if start < 1:
        r.error(f"{at}.from", _("Give a whole number of at least 1."))
    if at_most is not None and at_most < 1:
        r.error(f"{at}.at_most", _("Give a whole number of at least 1."))
    once = bool(r.get(rule, "once", at, bool, required=False))
    return CountRule(start=start, at_most=at_most, once=once, tiers=_tiers(r, rule, at))


def _share(r: Reader, data: Any, key: str, path: str) -> Fraction:
    value = r.number(data, key, path, required=False)
    if value is None:
        return Fraction(1)
    if not 0 <= value <= 1:
        r.error(f"{path}.{key}", _("A share is between 0 and 1."))
    return value


def _roles(r: Reader, data: Any, path: str) -> Roles | None:
    roles = r.get(data, "roles", path, dict, required=False)
    if roles is None:
        return None
    at = f"{path}.roles"
    at_most = r.get(roles, "at_most", at, int, required=False)
    if at_most is not None and at_most < 1:
        r.error(f"{at}.at_most", _("Give a whole number of at least 1."))
    return Roles(
        lead=_share(r, roles, "lead", at),
        others=_share(r, roles, "others", at),
        split_others=bool(r.get(roles, "split_others", at, bool, required=False)),
        at_most=at_most,
    )


def _positions(r: Reader, data: Any, path: str) -> dict[str, Fraction]:
    positions = r.get(data, "positions", path, dict, required=False) or {}
    result = {}
    for name, value in positions.items():
        points = r.fraction(value, f"{path}.positions.{name}")
        if points is not None:
            result[str(name)] = points
    return result


def _strings(r: Reader, data: Any, key: str, path: str) -> tuple[str, ...]:
    values = r.items(data, key, path, required=False)
    for i, value in enumerate(values):
        if not isinstance(value, str):
            r.error(f"{path}.{key}[{i}]", _("Give a text."))
    return tuple(v for v in values if isinstance(v, str))


def load(data: Any) -> Scheme:
    """The scheme of a parsed JSON document; ValidationFailed lists every error."""
    r = Reader()
    if not isinstance(data, dict):
        raise ValidationFailed(_("The file is not a scheme (a JSON object is expected)."))
    if data.get("format") != FORMAT:
        r.error("format", _("The format must be %(format)s.") % {"format": FORMAT})
    name = (r.get(data, "name", "", str) or "").strip()[:100]
    parts, part_codes = [], set[str]()
    for i, item in enumerate(r.items(data, "parts", "")):
        at = f"parts[{i}]"
        parts.append(
            Part(
                code=r.code(item, at, part_codes),
                label=r.label(item, at),
                base=r.number(item, "base", at, required=False) or Fraction(0),
                cap=r.number(item, "cap", at, required=False),
                floor=r.number(item, "floor", at, required=False),
            )
        )
    categories, category_codes = [], set[str]()
    for i, item in enumerate(r.items(data, "categories", "")):
        at = f"categories[{i}]"
        part = r.get(item, "part", at, str) or ""
        if part and part not in part_codes:
            r.error(f"{at}.part", _("No part has this code."))
        cap = r.number(item, "cap", at, required=False)
        if cap is not None and cap < 0:
            r.error(f"{at}.cap", _("A cap cannot be negative."))
        categories.append(
            Category(
                code=r.code(item, at, category_codes),
                label=r.label(item, at),
                part=part,
                cap=cap,
                tiers=_tiers(r, item, at),
            )
        )
    kinds, kind_codes, events = [], set[str](), dict[str, str]()
    for i, item in enumerate(r.items(data, "kinds", "")):
        at = f"kinds[{i}]"
        code = r.code(item, at, kind_codes)
        category = r.get(item, "category", at, str) or ""
        if category and category not in category_codes:
            r.error(f"{at}.category", _("No category has this code."))
        kind_events = _strings(r, item, "events", at)
        for j, event in enumerate(kind_events):
            if event in events:
                r.error(
                    f"{at}.events[{j}]",
                    _("This event already counts as the kind %(kind)s.") % {"kind": events[event]},
                )
            events[event] = code
        kinds.append(
            Kind(
                code=code,
                label=r.label(item, at),
                category=category,
                points=r.number(item, "points", at) or Fraction(0),
                events=kind_events,
                positions=_positions(r, item, at),
                count=_count(r, item, at),
                roles=_roles(r, item, at),
                cap=r.number(item, "cap", at, required=False),
                year_of=r.get(item, "year_of", at, str, required=False) or "",
            )
        )
    for i, kind in enumerate(kinds):
        if kind.year_of and kind.year_of not in events:
            r.error(f"kinds[{i}].year_of", _("No kind records this event."))
    grades, grade_codes = [], set[str]()
    for i, item in enumerate(r.items(data, "grades", "", required=False)):
        at = f"grades[{i}]"
        grades.append(
            Grade(
                code=r.code(item, at, grade_codes),
                label=r.label(item, at),
                minimum=r.number(item, "from", at) or Fraction(0),
            )
        )
    for i in range(1, len(grades)):
        if grades[i].minimum >= grades[i - 1].minimum:
            r.error(f"grades[{i}].from", _("Grades go from the highest threshold down."))

    def grade_cap(item: Any, at: str, key: str, required: bool) -> str:
        cap = r.get(item, key, at, str, required) or ""
        if cap and cap not in grade_codes:
            r.error(f"{at}.{key}", _("No grade has this code."))
        return cap

    sets, set_codes = [], set[str]()
    for i, item in enumerate(r.items(data, "requirement_sets", "", required=False)):
        at = f"requirement_sets[{i}]"
        code, label = r.code(item, at, set_codes), r.label(item, at)
        entries = []
        for j, entry in enumerate(r.items(item, "items", at)):
            where = f"{at}.items[{j}]"
            entry_kinds = _strings(r, entry, "kinds", where)
            if isinstance(entry, dict) and not entry_kinds:
                r.error(f"{where}.kinds", _("Give at least one kind."))
            for k, kind_code in enumerate(entry_kinds):
                if kind_code not in kind_codes:
                    r.error(f"{where}.kinds[{k}]", _("No kind has this code."))
            count = r.get(entry, "count", where, int, required=False) or 1
            entries.append(
                Item(
                    label=r.label(entry, where),
                    kinds=entry_kinds,
                    count=max(count, 1),
                    positions=_strings(r, entry, "positions", where),
                )
            )
        cap_grade = grade_cap(item, at, "cap_grade", required=False)
        sets.append(RequirementSet(code, label, tuple(entries), cap_grade))
    vetoes, veto_codes = [], set[str]()
    for i, item in enumerate(r.items(data, "vetoes", "", required=False)):
        at = f"vetoes[{i}]"
        code, label = r.code(item, at, veto_codes), r.label(item, at)
        vetoes.append(Veto(code, label, grade_cap(item, at, "cap_grade", required=True)))
    minimum = r.number(data, "minimum", "", required=False) if "minimum" in data else Fraction(0)
    maximum = r.number(data, "maximum", "", required=False) if "maximum" in data else 100
    places = r.get(data, "places", "", int, required=False)
    if places is not None and not 0 <= places <= 4:
        r.error("places", _("Round to 0 to 4 decimal places."))
    if r.errors:
        raise ValidationFailed(r.errors[0], r.errors)
    return Scheme(
        name=name,
        parts=tuple(parts),
        categories=tuple(categories),
        kinds=tuple(kinds),
        grades=tuple(grades),
        requirement_sets=tuple(sets),
        vetoes=tuple(vetoes),
        minimum=minimum,
        maximum=Fraction(maximum) if maximum is not None else None,
        places=2 if places is None else places,
    )


def blank() -> dict[str, Any]:
    """A scheme with nothing in it yet (no parts, kinds or grades: every
    member scores 0 with no grade), for staff who build theirs on the page."""
    return {
        "format": FORMAT,
        "name": "",
        "minimum": 0,
        "maximum": 100,
        "places": 2,
        "parts": [],
        "categories": [],
        "kinds": [],
        "grades": [],
        "requirement_sets": [],
        "vetoes": [],
    }


def json_number(value: Fraction) -> int | str:
    """An exact number for JSON: an integer, a finite decimal, or "p/q"."""
    if value.denominator == 1:
        return value.numerator
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(decimal) == value:
        return str(decimal)
    return f"{value.numerator}/{value.denominator}"


_n = json_number


def _optional(out: dict[str, Any], key: str, value: Fraction | None) -> None:
    if value is not None:
        out[key] = _n(value)


def _tiers_out(tiers: tuple[tuple[int, Fraction], ...]) -> list[dict[str, Any]]:
    return [{"at_least": n, "points": _n(p)} for n, p in tiers]


def _kind_out(kind: Kind) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": kind.code,
        "label": kind.label,
        "category": kind.category,
        "points": _n(kind.points),
        "events": list(kind.events),
    }
    if kind.positions:
        out["positions"] = {k: _n(v) for k, v in kind.positions.items()}
    rule = kind.count
    if rule != PLAIN:
        count: dict[str, Any] = {"from": rule.start, "once": rule.once}
        if rule.at_most is not None:
            count["at_most"] = rule.at_most
        if rule.tiers:
            count["tiers"] = _tiers_out(rule.tiers)
        out["count"] = count
    if kind.roles is not None:
        roles: dict[str, Any] = {
            "lead": _n(kind.roles.lead),
            "others": _n(kind.roles.others),
            "split_others": kind.roles.split_others,
        }
        if kind.roles.at_most is not None:
            roles["at_most"] = kind.roles.at_most
        out["roles"] = roles
    _optional(out, "cap", kind.cap)
    if kind.year_of:
        out["year_of"] = kind.year_of
    return out


def dump(scheme: Scheme) -> dict[str, Any]:
    """The scheme as a JSON-ready document (the inverse of ``load``)."""
    parts = []
    for part in scheme.parts:
        out: dict[str, Any] = {"code": part.code, "label": part.label, "base": _n(part.base)}
        _optional(out, "cap", part.cap)
        _optional(out, "floor", part.floor)
        parts.append(out)
    categories = []
    for category in scheme.categories:
        out = {"code": category.code, "label": category.label, "part": category.part}
        _optional(out, "cap", category.cap)
        if category.tiers:
            out["tiers"] = _tiers_out(category.tiers)
        categories.append(out)
    document: dict[str, Any] = {
        "format": FORMAT,
        "name": scheme.name,
        "minimum": None if scheme.minimum is None else _n(scheme.minimum),
        "maximum": None if scheme.maximum is None else _n(scheme.maximum),
        "places": scheme.places,
        "parts": parts,
        "categories": categories,
        "kinds": [_kind_out(k) for k in scheme.kinds],
        "grades": [
            {"code": g.code, "label": g.label, "from": _n(g.minimum)} for g in scheme.grades
        ],
        "requirement_sets": [
            {
                "code": s.code,
                "label": s.label,
                "cap_grade": s.cap_grade or None,
                "items": [
                    {
                        "label": i.label,
                        "kinds": list(i.kinds),
                        "count": i.count,
                        "positions": list(i.positions),
                    }
                    for i in s.items
                ],
            }
            for s in scheme.requirement_sets
        ],
        "vetoes": [
            {"code": v.code, "label": v.label, "cap_grade": v.cap_grade} for v in scheme.vetoes
        ],
    }
    return document
