"""The one workflow engine (DESIGN §5, Workflow).

An app writes its state table with these types in its ``workflow.py``::

    PROPOSAL_FLOW = Workflow(
        model=Proposal,
        event_model=ProposalEvent,       # subclasses core.models.WorkflowEvent
        event_subject="proposal",        # the event's foreign key to the object
        audit_prefix="proposal",         # audit codes: "proposal.register", ...
        transitions=[
            Transition("register", _("Register"), source={S.SUBMITTED},
                       target=S.REGISTERED, permission="proposals.register_proposal"),
            # target=None: the action is allowed in those states and logged,
            # but the state stays (e.g. a pre-contact record)
            Transition("precontact", _("Record pre-contact"), source=HANDLING,
                       permission="proposals.handle_proposal"),
        ],
    )

and every state change goes through ``transition(obj, action, actor=...)``,
which, in one transaction: locks the row, finds the (state, action) pair,
checks the named permission against the object and the guards, sets the new
state (and any ``changes``), writes the event row and the audit row — or
raises a DomainError with a Chinese message and writes nothing but the
audited refusal.

``actions_for(obj, user)`` lists what the user may do now; pages draw their
buttons from it (``{% if actions.register %}``), never from state literals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lvzhi.core.audit import Category, audit_log, register_audit_action
from lvzhi.core.errors import Conflict
from lvzhi.core.permissions import has_perm, is_system, require_perm, user_or_none

# A guard returns None when the action may go ahead, or the Chinese reason it may not.
Guard = Callable[[Any, Any], "str | Promise | None"]


@dataclass(frozen=True)
class Transition:
    """One row of a state table: ``action`` from any of ``source`` to ``target``."""

    action: str
    label: str | Promise
    source: frozenset[str] | set[str] | Iterable[str]
    permission: str
    target: str | None = None  # None: the state stays (an in-place, logged action)
    guards: tuple[Guard, ...] = ()
    # Bootstrap colour of the button ("primary", "danger", ...).
    style: str = "primary"

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", frozenset(str(s) for s in self.source))
        if self.target is not None:
            object.__setattr__(self, "target", str(self.target))

    def moves(self) -> bool:
        return self.target is not None

    def blocked_by(self, obj: Any, actor: Any) -> str | None:
        """The first guard's refusal, or None."""
        for guard in self.guards:
            reason = guard(obj, actor)
            if reason:
                return str(reason)
        return None


@dataclass(eq=False)
class Workflow:
    """The state table of one model."""

    model: type[models.Model]
    event_model: type[models.Model]
    event_subject: str
    audit_prefix: str
    transitions: list[Transition]
    state_field: str = "status"
    # Extra fields saved with the state (e.g. "updated_at" is added when present).
    _by_pair: dict[tuple[str, str], Transition] = field(default_factory=dict, init=False)
    _by_action: dict[str, list[Transition]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for row in self.transitions:
            for state in row.source:
                key = (state, row.action)
                if key in self._by_pair:
                    raise ValueError(f"{self.audit_prefix}: ({state}, {row.action}) twice")
                self._by_pair[key] = row
            self._by_action.setdefault(row.action, []).append(row)
            register_audit_action(self.audit_code(row.action), row.label, Category.WORKFLOW)
        _REGISTRY[self.model] = self

    # --- Reading the table ---------------------------------------------------------

    def audit_code(self, action: str) -> str:
        return f"{self.audit_prefix}.{action}"

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.state_field))

    def find(self, state: str, action: str) -> Transition | None:
        return self._by_pair.get((str(state), action))

    def actions(self) -> list[str]:
        return list(self._by_action)

    def states(self) -> set[str]:
        found: set[str] = set()
        for row in self.transitions:
            found |= set(row.source)
            if row.target is not None:
                found.add(row.target)
        return found

    def label(self, action: str) -> str:
        rows = self._by_action.get(action)
        return str(rows[0].label) if rows else action

    def rows(self) -> Iterator[tuple[str, Transition]]:
        """Every (state, transition) pair, for generated tests."""
        for (state, _action), row in sorted(self._by_pair.items()):
            yield state, row

    def allowed(self, obj: Any, action: str) -> bool:
        """Whether the table allows the action in the object's state (no permission check)."""
        return self.find(self.state_of(obj), action) is not None

    def require_allowed(self, obj: Any, action: str) -> None:
        """Conflict naming the state unless the table allows ``action`` now
        (for a service that checks before doing its own preparatory work)."""
        if not self.allowed(obj, action):
            raise refuse_state(self, obj)

    def log_created(
        self,
        obj: Any,
        *,
        actor: Any,
        action: str = "create",
        note: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> Any:
        """The first event of an object created in its first state (not a
        transition: there is no state before it). The creating service writes
        its own audit row, inside the same transaction."""
        return self.event_model._default_manager.create(
            **{self.event_subject: obj},
            from_state="",
            to_state=self.state_of(obj),
            action=action,
            actor=user_or_none(actor),
            note=note,
            data={k: _text(v) for k, v in (data or {}).items()},
        )

    def actions_for(self, obj: Any, user: Any) -> ActionSet:
        state = self.state_of(obj)
        available = [
            row
            for (row_state, _action), row in self._by_pair.items()
            if row_state == state
            and has_perm(user, row.permission, obj)
            and row.blocked_by(obj, user) is None
        ]
        return ActionSet(available)


class ActionSet(Mapping[str, Transition]):
    """What a user may do to an object now, by action code, in table order.

    In templates: ``{% if actions.register %}`` and
    ``{% for action in actions.values %}{{ action.label }}{% endfor %}``."""

    def __init__(self, rows: Iterable[Transition]) -> None:
        self._rows = {row.action: row for row in rows}

    def __getitem__(self, key: str) -> Transition:
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


_REGISTRY: dict[type[models.Model], Workflow] = {}

# Told of every event row a transition writes, inside its transaction, by
# event model: an outbox of a higher layer (the API's webhooks) is written in
# the same commit as the change it announces (registered in AppConfig.register).
EventListener = Callable[[Any], None]
_listeners: dict[type[models.Model], list[EventListener]] = {}


def event_listen(event_model: type[models.Model], listener: EventListener) -> None:
    listeners = _listeners.setdefault(event_model, [])
    if listener not in listeners:
        listeners.append(listener)


def workflow_of(obj_or_model: Any) -> Workflow:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in _REGISTRY:
            return _REGISTRY[klass]
    raise LookupError(f"no workflow registered for {model.__name__}")


def all_workflows() -> list[Workflow]:
    return list(_REGISTRY.values())


def actions_for(obj: Any, user: Any) -> ActionSet:
    return workflow_of(obj).actions_for(obj, user)


def refuse_state(flow: Workflow, obj: Any) -> Conflict:
    display = getattr(obj, f"get_{flow.state_field}_display", None)
    state = display() if callable(display) else flow.state_of(obj)
    return Conflict(_("This cannot be done while it is “%(state)s”.") % {"state": state})


def transition(
    obj: Any,
    action: str,
    *,
    actor: Any,
    note: str = "",
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    check_permission: bool | None = None,
    **audit_detail: Any,
) -> Any:
    """Apply ``action`` to ``obj`` as ``actor``; returns the locked, updated row.

    ``changes`` are further fields set and saved with the state; ``data`` is
    kept on the event row (what the timeline shows). The permission is checked
    unless the system acts (``core.permissions.is_system``: no user, outside
    a web request); ``check_permission=False`` is refused for a user."""
    flow = workflow_of(obj)
    rows = flow._by_action.get(action)
    if not rows:
        raise ValueError(f"{flow.audit_prefix}: unknown action {action!r}")
    if check_permission is None:
        check_permission = not is_system(actor)
    if check_permission:
        # Checked before the transaction so the audited refusal is not rolled
        # back; in a wrong state the action's first row names the permission.
        named = flow.find(flow.state_of(obj), action) or rows[0]
        require_perm(actor, named.permission, obj)
    elif getattr(actor, "is_authenticated", False):
        raise ValueError("check_permission=False is for system jobs only")
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        state = flow.state_of(locked)
        row = flow.find(state, action)
        if row is None:
            raise refuse_state(flow, locked)
        reason = row.blocked_by(locked, actor)
        if reason:
            raise Conflict(reason)
        fields: list[str] = []
        if row.target is not None and row.target != state:
            setattr(locked, flow.state_field, row.target)
            fields.append(flow.state_field)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        if fields:
            if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
                fields.append("updated_at")
            locked.save(update_fields=fields)
        to_state = row.target if row.target is not None else state
        event = flow.event_model._default_manager.create(
            **{flow.event_subject: locked},
            from_state=state,
            to_state=to_state,
            action=action,
            actor=user_or_none(actor),
            note=note,
            data={k: _text(v) for k, v in (data or {}).items()},
        )
        for listener in _listeners.get(flow.event_model, ()):
            listener(event)
        audit_log(
            action=flow.audit_code(action),
            actor=actor,
            obj=locked,
            from_state=state,
            to_state=to_state,
            **audit_detail,
        )
    # The caller's instance reflects the change too.
    for name in [flow.state_field, *(changes or {})]:
        setattr(obj, name, getattr(locked, name))
    return locked


def _text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)
