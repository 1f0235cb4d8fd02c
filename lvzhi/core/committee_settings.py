"""Committee settings (DESIGN §5): one typed mechanism for everything a
committee configures — deadlines, limits, lists, switches.

An app defines each setting once, in its own ``settings_defs.py`` (imported
from ``AppConfig.ready``)::

    REPLY_MONTHS = define_setting(
        "proposals.reply_months", kind=INT, default=3, min_value=1, max_value=12,
        label=_("Reply within (months)"), permission="proposals.configure",
    )

and reads it with ``setting_value(committee, REPLY_MONTHS)``. Reading never
writes (a committee that changed nothing has no rows); the values of a
committee are loaded in one query and kept on the committee object for the
rest of the request. Changes go only through ``committee_settings_update``,
which checks the setting's permission, validates every value first, and
audits each change with its old and new value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lvzhi.core.audit import SETTING_CHANGED, audit_log
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.models import CommitteeSetting
from lvzhi.core.permissions import require_perm

INT, BOOL, TEXT, CHOICE, LINES, JSON = "int", "bool", "text", "choice", "lines", "json"
KINDS = {INT, BOOL, TEXT, CHOICE, LINES, JSON}
_CACHE_ATTR = "_lvzhi_settings"


@dataclass(frozen=True)
class SettingDef:
    key: str
    kind: str
    default: Any
    label: str | Promise
    permission: str
    help_text: str | Promise = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 2000
    choices: tuple[tuple[str, str | Promise], ...] = ()
    # Extra check of a cleaned value; raises ValidationFailed with a Chinese message.
    validate: Callable[[Any], None] | None = field(default=None, compare=False)


_DEFS: dict[str, SettingDef] = {}


def define_setting(key: str, **kwargs: Any) -> SettingDef:
    definition = SettingDef(key=key, **kwargs)
    if definition.kind not in KINDS:
        raise ValueError(f"unknown setting kind {definition.kind!r}")
    existing = _DEFS.get(key)
    if existing is not None and existing != definition:
        raise ValueError(f"setting {key!r} defined twice")
    _DEFS[key] = definition
    return definition


def setting_def(key: str) -> SettingDef:
    return _DEFS[key]


def setting_defs(prefix: str = "") -> list[SettingDef]:
    """In the order they were defined, which is the order a settings page shows."""
    return [d for k, d in _DEFS.items() if k.startswith(prefix)]


def _key(setting: SettingDef | str) -> str:
    return setting.key if isinstance(setting, SettingDef) else setting


def _overrides(committee: Any) -> dict[str, Any]:
    cached = getattr(committee, _CACHE_ATTR, None)
    if cached is None:
        cached = dict(
            CommitteeSetting.objects.filter(committee_id=committee.pk).values_list("key", "value")
        )
        setattr(committee, _CACHE_ATTR, cached)
    return cached


def forget_settings(committee: Any) -> None:
    if hasattr(committee, _CACHE_ATTR):
        delattr(committee, _CACHE_ATTR)


def setting_value(committee: Any, setting: SettingDef | str) -> Any:
    """The committee's value, or the default. No write, ever."""
    key = _key(setting)
    definition = _DEFS[key]
    overrides = _overrides(committee)
    return overrides.get(key, definition.default)


def setting_values(committee: Any, prefix: str) -> dict[str, Any]:
    """Every setting under ``prefix`` (e.g. "public.") by key."""
    return {d.key: setting_value(committee, d) for d in setting_defs(prefix)}


def _too_small(definition: SettingDef) -> str:
    return _("“%(label)s” must be at least %(min)s.") % {
        "label": definition.label,
        "min": definition.min_value,
    }


def _too_large(definition: SettingDef) -> str:
    return _("“%(label)s” must be at most %(max)s.") % {
        "label": definition.label,
        "max": definition.max_value,
    }


def clean_setting(definition: SettingDef, raw: Any) -> Any:
    """The value to store, or ValidationFailed saying what is wrong, in Chinese."""
    label = {"label": definition.label}
    if definition.kind == INT:
        try:
            value: Any = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationFailed(_("“%(label)s” must be a whole number.") % label) from None
        if definition.min_value is not None and value < definition.min_value:
            raise ValidationFailed(_too_small(definition))
        if definition.max_value is not None and value > definition.max_value:
            raise ValidationFailed(_too_large(definition))
    elif definition.kind == BOOL:
        value = raw in (True, "1", "true", "on", "yes", 1)
    elif definition.kind == TEXT:
        value = str(raw or "").strip()
        if len(value) > definition.max_length:
            raise ValidationFailed(
                _("“%(label)s” is too long (at most %(max)s characters).")
                % {**label, "max": definition.max_length}
            )
    elif definition.kind == CHOICE:
        value = str(raw or "")
        if value not in {c for c, _label in definition.choices}:
            raise ValidationFailed(_("Choose one of the offered values for “%(label)s”.") % label)
    elif definition.kind == LINES:
        lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
        value = [str(line).strip() for line in lines if str(line).strip()]
        if sum(len(line) for line in value) > definition.max_length:
            raise ValidationFailed(
                _("“%(label)s” is too long (at most %(max)s characters).")
                % {**label, "max": definition.max_length}
            )
    else:
        value = raw
    if definition.validate is not None:
        definition.validate(value)
    return value


def committee_settings_update(
    *, actor: Any, committee: Any, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Change several settings at once: all are checked before any is written.
    Returns the keys that changed with their new values."""
    cleaned: dict[str, Any] = {}
    errors: list[str] = []
    for key, raw in values.items():
        definition = _DEFS.get(key)
        if definition is None:
            errors.append(_("Unknown setting “%(key)s”.") % {"key": key})
            continue
        require_perm(actor, definition.permission, committee)
        try:
            cleaned[key] = clean_setting(definition, raw)
        except ValidationFailed as error:
            errors.append(error.message)
    if errors:
        raise ValidationFailed(errors[0], errors)
    changed: dict[str, Any] = {}
    with transaction.atomic():
        rows = {
            row.key: row
            for row in CommitteeSetting.objects.select_for_update().filter(
                committee_id=committee.pk, key__in=list(cleaned)
            )
        }
        for key, value in cleaned.items():
            definition = _DEFS[key]
            row = rows.get(key)
            old = row.value if row is not None else definition.default
            if old == value:
                continue
            if row is None:
                CommitteeSetting.objects.create(
                    committee_id=committee.pk, key=key, value=value, updated_by=actor
                )
            else:
                row.value, row.updated_by = value, actor
                row.save(update_fields=["value", "updated_by", "updated_at"])
            audit_log(
                action=SETTING_CHANGED,
                actor=actor,
                committee=committee,
                setting=key,
                label=definition.label,
                old=old,
                new=value,
            )
            changed[key] = value
    forget_settings(committee)
    return changed


def settings_form_class(prefix: str) -> type[forms.Form]:
    """A form with one field per setting under ``prefix``; its ``initial`` is
    ``setting_values(...)``. Validation happens again in the service."""
    fields: dict[str, forms.Field] = {}
    for definition in setting_defs(prefix):
        common: dict[str, Any] = {"label": definition.label, "help_text": definition.help_text}
        name = definition.key.replace(".", "__")
        if definition.kind == INT:
            fields[name] = forms.IntegerField(
                min_value=definition.min_value, max_value=definition.max_value, **common
            )
        elif definition.kind == BOOL:
            fields[name] = forms.BooleanField(required=False, **common)
        elif definition.kind == CHOICE:
            fields[name] = forms.ChoiceField(choices=definition.choices, **common)
        elif definition.kind == LINES:
            fields[name] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 6}), **common
            )
        elif definition.kind == TEXT:
            fields[name] = forms.CharField(
                required=False, max_length=definition.max_length, **common
            )
    return type("CommitteeSettingsForm", (forms.Form,), fields)


def form_initial(committee: Any, prefix: str) -> dict[str, Any]:
    """Starting values of ``settings_form_class(prefix)``: lists as text lines;
    JSON settings have no field there (their page edits them) and are left out."""
    values = setting_values(committee, prefix)
    initial: dict[str, Any] = {}
    for definition in setting_defs(prefix):
        if definition.kind == JSON:
            continue
        value = values[definition.key]
        initial[definition.key.replace(".", "__")] = (
            "\n".join(value) if definition.kind == LINES else value
        )
    return initial


def form_values(cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
    """Field names of ``settings_form_class`` back to setting keys."""
    return {name.replace("__", "."): value for name, value in cleaned_data.items()}
