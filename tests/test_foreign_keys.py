"""No foreign key points up a layer (DESIGN §4).

A ForeignKey, OneToOneField or ManyToManyField makes its model's app depend on
the target's app as much as an import does, so it obeys the same order as the
layers contract in pyproject.toml (read from there: one statement of the
layers): the target is in the model's own app, to its left in the same layer,
or in a lower layer; never a sibling of an independent layer. The two allowed
upward references are foreign keys to ``org.Committee`` (every scoped row
belongs to a committee) and to the user model (actors, authors)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
PROJECT = "lvzhi."
ALLOWED_UPWARD_TARGETS = {"org.Committee", settings.AUTH_USER_MODEL}
# Upward references found when this test was written, to be removed by the app
# that owns them (the integrator deletes an entry once it is gone):
# - a unit user's role names its handling unit, and accounts sits below org.
# A role is held in a committee and, for a handling unit's user, for one
# unit: like the committee, the unit is what the role is scoped to, so this
# reference is allowed by name (docs/architecture.md, Layers).
KNOWN_UPWARD = {"accounts.RoleAssignment.unit -> org.HandlingUnit"}


def contract_layers() -> list[set[str]]:
    """The layers contract's layers, lowest first. Apps in one layer are
    independent siblings ("a | b"); an app may use its left neighbour because
    the contract writes that as a layer of its own."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    layers = []
    for raw in reversed(contract["layers"]):
        assert ":" not in raw, "siblings that may import each other: place them here too"
        layers.append({part.strip().strip("()") for part in raw.split("|")})
    return layers


LAYERS = contract_layers()


def position(app_label: str) -> int:
    for level, names in enumerate(LAYERS):
        if app_label in names:
            return level
    raise AssertionError(f"app {app_label!r} is in no layer of the contract in pyproject.toml")


def may_reference(app_label: str, target_label: str) -> bool:
    if app_label == target_label:
        return True
    return position(target_label) < position(app_label)


def project_relations() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT):
            continue
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if field.is_relation and field.related_model is not None:
                found.append((model, field))
    return found


def upward_references() -> list[str]:
    upward = []
    for model, field in project_relations():
        target = field.related_model
        assert isinstance(target, type)
        if not target.__module__.startswith(PROJECT):
            continue  # Django's own apps (content types …) sit below everything
        target_label = target._meta.label
        if target_label in ALLOWED_UPWARD_TARGETS:
            continue
        if not may_reference(model._meta.app_label, target._meta.app_label):
            upward.append(f"{model._meta.label}.{field.name} -> {target_label}")
    return sorted(upward)


def test_no_foreign_key_points_up_a_layer_but_to_the_committee_or_the_user() -> None:
    upward = [ref for ref in upward_references() if ref not in KNOWN_UPWARD]

    assert not upward, "foreign keys pointing up a layer:\n" + "\n".join(upward)


def test_every_project_app_is_in_a_layer() -> None:
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith(PROJECT)}

    for label in labels:
        position(label)


def test_the_check_sees_the_allowed_upward_references() -> None:
    # core sits below org and accounts, and its audit rows name the committee
    # and the actor: the check finds them and lets them pass, by name.
    targets = {
        field.related_model._meta.label
        for model, field in project_relations()
        if model._meta.app_label == "core" and field.related_model is not None
    }

    assert targets >= ALLOWED_UPWARD_TARGETS
    assert not may_reference("core", "org") and not may_reference("org", "studios")
    assert may_reference("public", "studios") and not may_reference("studios", "public")
    assert not may_reference("proposals", "opinions")
