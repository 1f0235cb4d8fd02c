"""The scheme built element by element on the editor's page: one small form
per element of the policy language (part, category, kind, grade,
requirement item) and the table ``ELEMENTS`` of where each lives in the
scheme document. A form only edits the element's dict; the view saves the
whole document through ``services.policy_scheme_update``, so the parser's
checks, the version and the audit stay in one place."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.errors import Conflict
from lvzhi.duties.models import DutyKind
from lvzhi.org.models import Member
from lvzhi.points.language import STANDING
from lvzhi.points.schemefile import json_number

# The platform's events by their labels (the page never shows a code).
EVENT_LABELS = dict(DutyKind.choices)


STALE = _("Someone changed the scheme meanwhile. Open it again and make the change there.")


def fingerprint(document: dict[str, Any]) -> str:
    """A short digest of a scheme document: a form or a delete button knows
    which version it was shown (elements are addressed by their position)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_seen(document: dict[str, Any], seen: str | None) -> None:
    """Conflict when the page posted a version of the scheme other than the stored one."""
    if seen and seen != fingerprint(document):
        raise Conflict(str(STALE))


def exact(value: Any) -> Fraction:
    """A number of a scheme document (JSON number or "2.5", "1/3") exactly."""
    text = str(value).strip()
    return Fraction(text) if "/" in text else Fraction(Decimal(text))


class NumberField(forms.CharField):
    """A number of the scheme, kept exact: 5, 2.5 or 1/3."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            number = exact(text)
        except (ValueError, ZeroDivisionError, InvalidOperation) as error:
            raise forms.ValidationError(_("Give a number, such as 5, 2.5 or 1/3.")) from error
        if abs(number) > 10000:
            raise forms.ValidationError(_("The number is too large."))
        return number


TIER_LINE = re.compile(r"^\s*(\d+)\s*[\s,，:：]\s*(\S+)\s*$")


def tiers_text(tiers: Any) -> str:
    return "\n".join(f"{t['at_least']} {t['points']}" for t in tiers or [])


class TiersField(forms.CharField):
    """Tiers one a line, "2 30": two or more records earn 30 (instead of per record)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Tiers"))
        kwargs.setdefault(
            "help_text",
            _("One tier a line: the number of records and the points instead, e.g. “2 30”."),
        )
        super().__init__(
            required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}), **kwargs
        )

    def clean(self, value: Any) -> Any:
        tiers = []
        for line in super().clean(value).splitlines():
            if not line.strip():
                continue
            match = TIER_LINE.match(line)
            try:
                assert match is not None and int(match[1]) >= 1
                points = exact(match[2])
            except (AssertionError, ValueError, ZeroDivisionError, InvalidOperation) as error:
                raise forms.ValidationError(
                    _("Write one tier a line: the number of records and the points, e.g. “2 30”.")
                ) from error
            tiers.append({"at_least": int(match[1]), "points": json_number(points)})
        return tiers or None


def _whole(
    label: Any, *, low: int = 1, high: int = 1000, required: bool = False, **kwargs: Any
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        error_messages={"invalid": _("Give a whole number.")},
        **kwargs,
    )


def _json(value: Any) -> Any:
    return json_number(value) if isinstance(value, Fraction) else value


def _shown(value: Any) -> Any:
    return "" if value is None else str(value)


def _codes(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i.get("code", ""), i.get("label", "")) for i in items if isinstance(i, dict)]


class ElementForm(forms.Form):
    """One element of a scheme document. ``fields_to_keys`` maps the form's
    plain fields to the element's keys; a form with more than that overrides
    ``initial_of`` and ``owned``. Keys the form does not own (a category's
    tiers, say) are kept as they were."""

    fields_to_keys: ClassVar[dict[str, str]] = {}
    code_prefix: ClassVar[str] = ""
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, data: Any = None, *, document: dict[str, Any], element: dict[str, Any] | None = None
    ) -> None:
        self.document = document
        initial = {**self.initial_of(element or {}), "seen": fingerprint(document)}
        super().__init__(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            check_seen(self.document, cleaned.get("seen"))
        except Conflict as error:
            raise forms.ValidationError(error.message) from error
        return cleaned

    def initial_of(self, element: dict[str, Any]) -> dict[str, Any]:
        return {name: _shown(element.get(key)) for name, key in self.fields_to_keys.items()}

    def grade_choices(self, empty: bool) -> list[tuple[str, str]]:
        return [("", "—")] * empty + _codes(self.document.get("grades", []))

    def owned(self) -> dict[str, Any]:
        """The element's keys this form sets (None: the key is left out)."""
        return {key: self.cleaned_data[name] for name, key in self.fields_to_keys.items()}

    def element(self, old: dict[str, Any], siblings: list[dict[str, Any]]) -> dict[str, Any]:
        new = dict(old)
        for key, value in self.owned().items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = _json(value)
        if self.code_prefix and not new.get("code"):
            used = {s.get("code") for s in siblings if isinstance(s, dict)}
            n = 1
            while f"{self.code_prefix}{n}" in used:
                n += 1
            new["code"] = f"{self.code_prefix}{n}"
        return new

    def settle(self, document: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> None:
        """What else in the document follows the change (nothing by default)."""

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        return ""


def _label() -> forms.CharField:
    return forms.CharField(label=_("Name"), max_length=100)


class PartForm(ElementForm):
    fields_to_keys = {"label": "label", "base": "base", "floor": "floor", "cap": "cap"}
    code_prefix = "part"
    label = _label()
    base = NumberField(label=_("Base score"), help_text=_("The points every member starts with."))
    floor = NumberField(label=_("Floor"), help_text=_("Deductions stop here. Empty: no floor."))
    cap = NumberField(label=_("Cap"), help_text=_("The most the part gives. Empty: no cap."))

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        text = _("base %(base)s") % {"base": element.get("base", 0)}
        if element.get("cap") is not None:
            text += "，" + _("cap %(cap)s") % {"cap": element["cap"]}
        if element.get("floor") is not None:
            text += "，" + _("floor %(floor)s") % {"floor": element["floor"]}
        return str(text)


class CategoryForm(ElementForm):
    fields_to_keys = {"label": "label", "part": "part", "cap": "cap", "tiers": "tiers"}
    code_prefix = "category"
    label = _label()
    part = forms.ChoiceField(label=_("Part"))
    cap = NumberField(label=_("Cap"), help_text=_("The most the category gives. Empty: no cap."))
    tiers = TiersField(
        help_text=_(
            "One tier a line: the number of the category's records and the points the "
            "category earns instead, e.g. “2 30”."
        )
    )

    def initial_of(self, element: dict[str, Any]) -> dict[str, Any]:
        return {**super().initial_of(element), "tiers": tiers_text(element.get("tiers"))}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = _codes(self.document.get("parts", []))  # type: ignore[attr-defined]

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        text = names.get(f"part:{element.get('part')}", "")
        if element.get("cap") is not None:
            text += "，" + _("cap %(cap)s") % {"cap": element["cap"]}
        return text


POSITIONS = [
    (STANDING, _("Standing committee members and above")),
    *((p.value, p.label) for p in Member.Position if p not in (Member.Position.MEMBER, STANDING)),
]


class KindForm(ElementForm):
    code_prefix = "kind"
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("Letters, digits, - and _; empty: one is given."),
    )
    label = _label()
    category = forms.ChoiceField(label=_("Category"))
    points = NumberField(
        label=_("Points per record"), required=True, help_text=_("Negative: a deduction.")
    )
    events = forms.MultipleChoiceField(
        label=_("Recorded from these platform events"),
        choices=list(EVENT_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: staff record it by hand."),
    )
    cap = NumberField(label=_("Cap of the kind"), help_text=_("Empty: no cap."))
    count_from = _whole(_("Counts from the Nth record"), help_text=_("Empty: from the first."))
    count_at_most = _whole(_("At most N records count"), help_text=_("Empty: no limit."))
    count_once = forms.BooleanField(label=_("Once a year, whatever the number"), required=False)
    count_tiers = TiersField()
    roles = forms.BooleanField(
        label=_("Joint work: the lead and the others earn shares"), required=False
    )
    roles_lead = NumberField(label=_("Share of the lead"), help_text=_("Empty: 1 (full points)."))
    roles_others = NumberField(
        label=_("Share of the others"), help_text=_("Empty: 1 (full points).")
    )
    roles_split = forms.BooleanField(
        label=_("The others share their share between them"), required=False
    )
    roles_at_most = _whole(_("Only the first N members are credited"))
    year_of = forms.ChoiceField(
        label=_("Counts in the year of another record of the same source"),
        required=False,
        choices=[("", "—"), *EVENT_LABELS.items()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _codes(self.document.get("categories", []))  # type: ignore[attr-defined]
        for position, label in POSITIONS:
            self.fields[f"position_{position}"] = NumberField(
                label=_("Points for: %(position)s") % {"position": label},
                help_text=_("Empty: the points per record."),
            )

    def initial_of(self, element: dict[str, Any]) -> dict[str, Any]:
        count = element.get("count") or {}
        roles = element.get("roles")
        initial = {
            "code": element.get("code", ""),
            "label": element.get("label", ""),
            "category": element.get("category", ""),
            "points": _shown(element.get("points")),
            "events": element.get("events", []),
            "cap": _shown(element.get("cap")),
            "count_from": None if count.get("from", 1) == 1 else count["from"],
            "count_at_most": count.get("at_most"),
            "count_once": bool(count.get("once")),
            "count_tiers": tiers_text(count.get("tiers")),
            "roles": roles is not None,
            "year_of": element.get("year_of", ""),
        }
        if roles:
            initial.update(
                roles_lead=_shown(roles.get("lead")),
                roles_others=_shown(roles.get("others")),
                roles_split=bool(roles.get("split_others")),
                roles_at_most=roles.get("at_most"),
            )
        for position, value in (element.get("positions") or {}).items():
            initial[f"position_{position}"] = _shown(value)
        return initial

    def owned(self) -> dict[str, Any]:
        data = self.cleaned_data
        count = {
            k: v
            for k, v in (
                ("from", data["count_from"]),
                ("at_most", data["count_at_most"]),
                ("once", data["count_once"] or None),
                ("tiers", data["count_tiers"]),
            )
            if v is not None
        }
        roles = None
        if data["roles"]:
            roles = {
                "lead": _json(data["roles_lead"] if data["roles_lead"] is not None else 1),
                "others": _json(data["roles_others"] if data["roles_others"] is not None else 1),
                "split_others": data["roles_split"],
            }
            if data["roles_at_most"]:
                roles["at_most"] = data["roles_at_most"]
        positions = {
            p: json_number(data[f"position_{p}"])
            for p, _label in POSITIONS
            if data[f"position_{p}"] is not None
        }
        return {
            "code": data["code"].strip(),
            "label": data["label"],
            "category": data["category"],
            "points": data["points"],
            "events": list(data["events"]),
            "positions": positions or None,
            "count": count or None,
            "roles": roles,
            "cap": data["cap"],
            "year_of": data["year_of"],
        }

    def settle(self, document: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> None:
        """A kind's new code follows into the requirement items that name it."""
        before, after = old.get("code"), new.get("code")
        if not before or before == after:
            return
        for rset in document.get("requirement_sets") or []:
            for item in rset.get("items") or []:
                item["kinds"] = [after if k == before else k for k in item.get("kinds", [])]

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        text = _("%(points)s points") % {"points": element.get("points")}
        events = [str(EVENT_LABELS.get(e, e)) for e in element.get("events") or []]
        source = "、".join(events) if events else str(_("recorded by staff"))
        return f"{names.get('category:' + str(element.get('category')), '')}，{text}；{source}"


class GradeForm(ElementForm):
    fields_to_keys = {"label": "label", "minimum": "from"}
    code_prefix = "grade"
    label = _label()
    minimum = NumberField(
        label=_("From (score)"),
        required=True,
        help_text=_("The score from which this grade is given."),
    )

    def settle(self, document: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> None:
        """Grades stay from the highest threshold down."""
        document["grades"].sort(key=lambda g: exact(g.get("from", 0)), reverse=True)

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        return f"≥ {element.get('from')}"


class ItemForm(ElementForm):
    fields_to_keys = {"label": "label", "kinds": "kinds", "count": "count"}
    label = _label()
    kinds = forms.MultipleChoiceField(
        label=_("Any of these kinds"), widget=forms.CheckboxSelectMultiple
    )
    count = _whole(_("Number of records"), high=100, required=True, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = _codes(self.document.get("kinds", []))  # type: ignore[attr-defined]

    def initial_of(self, element: dict[str, Any]) -> dict[str, Any]:
        return {
            "label": element.get("label", ""),
            "kinds": element.get("kinds", []),
            "count": element.get("count", 1),
        }

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        kinds = [names.get(f"kind:{k}", k) for k in element.get("kinds", [])]
        return str(
            _("%(kinds)s, %(count)s times")
            % {"kinds": str(_(" or ")).join(kinds), "count": element.get("count", 1)}
        )


class SettingsForm(ElementForm):
    """The scheme's own numbers: its name, the bounds of the total, rounding."""

    fields_to_keys = {"name": "name", "minimum": "minimum", "maximum": "maximum"}
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    minimum = NumberField(label=_("Lowest total"), help_text=_("Empty: 0."))
    maximum = NumberField(label=_("Highest total"), help_text=_("Empty: 100."))
    places = _whole(_("Decimal places of the score"), low=0, high=4, required=True, initial=2)

    def initial_of(self, element: dict[str, Any]) -> dict[str, Any]:
        return {**super().initial_of(element), "places": element.get("places", 2)}

    def owned(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {**super().owned(), "name": data["name"].strip(), "places": data["places"]}

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        bounds = f"{element.get('minimum', 0)}–{element.get('maximum', 100)}"
        places = _("%(places)s decimal places") % {"places": element.get("places", 2)}
        return f"{bounds}，{places}"


class RequirementSetForm(ElementForm):
    fields_to_keys = {"label": "label", "cap_grade": "cap_grade"}
    label = _label()
    cap_grade = forms.ChoiceField(
        label=_("An unmet item caps the grade at"),
        required=False,
        help_text=_("Empty: the grade is not capped."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cap_grade"].choices = self.grade_choices(empty=True)  # type: ignore[attr-defined]

    @classmethod
    def summary(cls, element: dict[str, Any], names: dict[str, str]) -> str:
        grade = element.get("cap_grade")
        if not grade:
            return ""
        return str(_("caps the grade at %(grade)s") % {"grade": names.get(f"grade:{grade}")})


class VetoForm(ElementForm):
    fields_to_keys = {"label": "label", "cap_grade": "cap_grade"}
    code_prefix = "veto"
    label = _label()
    cap_grade = forms.ChoiceField(label=_("Caps the grade at"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cap_grade"].choices = self.grade_choices(empty=False)  # type: ignore[attr-defined]

    summary = RequirementSetForm.summary


def _set(document: dict[str, Any], create: bool) -> list[dict[str, Any]]:
    """The scheme's first requirement set (the one members see), made when
    it is first edited."""
    sets = document.setdefault("requirement_sets", [])
    if not sets:
        sets.append({"code": "required", "label": str(_("Required duties")), "items": []})
    return sets[:1]


def _document(document: dict[str, Any], create: bool) -> list[dict[str, Any]]:
    return [document]


def _items(document: dict[str, Any], create: bool) -> list[dict[str, Any]]:
    """The items of the scheme's first requirement set (the one members see),
    the set made when the first item is added."""
    sets = document.setdefault("requirement_sets", [])
    if not sets:
        if not create:
            return []
        sets.append({"code": "required", "label": str(_("Required duties")), "items": []})
    items: list[dict[str, Any]] = sets[0].setdefault("items", [])
    return items


def _list(key: str) -> Callable[[dict[str, Any], bool], list[dict[str, Any]]]:
    def where(document: dict[str, Any], create: bool) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = document.setdefault(key, [])
        return items

    return where


@dataclass(frozen=True)
class Element:
    """One element type of the scheme: its form, its name on the page and
    where its list is in the document (``where(document, create)``, the
    live dicts). A ``single`` element is a list of one, never added or
    removed (the scheme's own numbers, its requirement set)."""

    form: type[ElementForm]
    title: Any
    heading: Any
    where: Callable[[dict[str, Any], bool], list[dict[str, Any]]]
    single: bool = False


ELEMENTS: dict[str, Element] = {
    "scheme": Element(SettingsForm, _("scheme"), _("The scheme"), _document, single=True),
    "part": Element(PartForm, _("part"), _("Parts"), _list("parts")),
    "category": Element(
        CategoryForm, _("category"), pgettext_lazy("scheme", "Categories"), _list("categories")
    ),
    "kind": Element(KindForm, _("duty kind"), _("Duty kinds"), _list("kinds")),
    "grade": Element(GradeForm, _("grade"), _("Grade scale"), _list("grades")),
    "requirements": Element(
        RequirementSetForm, _("required duties"), _("Required duties"), _set, single=True
    ),
    "item": Element(ItemForm, _("requirement item"), _("Items of the required duties"), _items),
    "veto": Element(VetoForm, _("veto item"), _("Veto items"), _list("vetoes")),
}


def names_of(document: dict[str, Any]) -> dict[str, str]:
    """The labels of the document's parts, categories and kinds by "type:code"."""
    return {
        f"{prefix}:{code}": label
        for prefix, key in (
            ("part", "parts"),
            ("category", "categories"),
            ("kind", "kinds"),
            ("grade", "grades"),
        )
        for code, label in _codes(document.get(key) or [])
    }


def sections(document: dict[str, Any]) -> list[tuple[str, Element, list[tuple[int, str, str]]]]:
    """What the editor's page lists: each element type with its rows
    (position in its list, label, summary)."""
    names = names_of(document)
    scratch = copy.deepcopy(document)
    return [
        (
            name,
            element,
            [
                (
                    i,
                    str(row.get("label") or row.get("name") or ""),
                    element.form.summary(row, names),
                )
                for i, row in enumerate(element.where(scratch, True))
            ],
        )
        for name, element in ELEMENTS.items()
    ]


def changed(
    document: dict[str, Any], name: str, index: int | None, form: ElementForm
) -> dict[str, Any]:
    """A copy of the document with the element at ``index`` (None: a new one)
    replaced by the form's."""
    new_document = copy.deepcopy(document)
    rows = ELEMENTS[name].where(new_document, True)
    if index is None:
        old: dict[str, Any] = {}
        new = form.element(old, rows)
        rows.append(new)
    else:  # changed in place (a single element is the live dict)
        old = dict(rows[index])
        new = form.element(old, rows)
        rows[index].clear()
        rows[index].update(new)
    form.settle(new_document, old, new)
    return new_document


def removed(document: dict[str, Any], name: str, index: int) -> dict[str, Any]:
    """A copy of the document without the element at ``index``."""
    new_document = copy.deepcopy(document)
    del ELEMENTS[name].where(new_document, False)[index]
    return new_document


def element_at(document: dict[str, Any], name: str, index: int) -> dict[str, Any] | None:
    rows = ELEMENTS[name].where(copy.deepcopy(document), True)
    return rows[index] if 0 <= index < len(rows) else None
