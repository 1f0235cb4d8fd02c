"""A committee's configuration of its reports: the length limit (a committee
setting) and the list of categories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.audit import audit_log
from lvzhi.core.committee_settings import committee_settings_update
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.permissions import require_perm
from lvzhi.opinions.models import Category
from lvzhi.opinions.settings_defs import MAX_CHARS
from lvzhi.org.models import Committee

CATEGORY_MAX = 32


def _category_names(categories: Sequence[str]) -> list[str]:
    names: list[str] = []
    for name in categories:
        name = name.strip()
        if name and name not in names:
            if len(name) > CATEGORY_MAX:
                raise ValidationFailed(
                    _("A category name is too long (at most 32 characters): %(name)s")
                    % {"name": name}
                )
            names.append(name)
    return names


def settings_update(
    *, actor: Any, committee: Committee, max_chars: int, categories: Sequence[str]
) -> list[str]:
    """Set the length limit and the category list (names not listed are
    deactivated, never deleted: old reports keep their category). Returns
    the active categories' names."""
    require_perm(actor, "opinions.configure", committee)
    names = _category_names(categories)
    with transaction.atomic():
        committee_settings_update(
            actor=actor, committee=committee, values={MAX_CHARS.key: max_chars}
        )
        existing = {
            c.name: c for c in Category.objects.select_for_update().filter(committee=committee)
        }
        for order, name in enumerate(names):
            category = existing.get(name)
            if category is None:
                Category.objects.create(committee=committee, name=name, order=order)
            elif not category.is_active or category.order != order:
                category.is_active, category.order = True, order
                category.save(update_fields=["is_active", "order"])
        for name, category in existing.items():
            if name not in names and category.is_active:
                category.is_active = False
                category.save(update_fields=["is_active"])
        audit_log(
            action="opinions.categories_update", committee=committee, categories="、".join(names)
        )
    return names
