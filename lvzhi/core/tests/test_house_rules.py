"""Rules of the house that a review would otherwise have to check by hand
(DESIGN §4–5): one workflow engine, one event base, modules of a readable size."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

from lvzhi.core.models import AuditEvent, WorkflowEvent
from lvzhi.core.workflow import all_workflows, workflow_of

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 800
# Delivery bookkeeping of the e-mail job (pending/sent/failed with attempts and
# the last error on the row), not a business workflow anyone acts on.
# Queues of the machinery, not domain objects: their states are a job's
# progress, written by the job alone, with no one acting on them.
NOT_A_WORKFLOW = {"core.EmailOutbox", "core.ExportJob"}


def _production_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path.name != "demo.py"
    ]


def test_no_production_module_is_over_800_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in _production_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def _lvzhi_models():
    return [m for m in apps.get_models() if m.__module__.startswith("lvzhi.")]


def test_every_model_with_a_status_is_governed_by_a_workflow_table():
    ungoverned = []
    for model in _lvzhi_models():
        names = {f.name for f in model._meta.concrete_fields if f.choices}
        if names & {"status", "state"} and model._meta.label not in NOT_A_WORKFLOW:
            try:
                workflow_of(model)
            except LookupError:
                ungoverned.append(model._meta.label)
    assert ungoverned == []


def test_every_event_log_is_a_workflow_event():
    logs = [
        m._meta.label
        for m in _lvzhi_models()
        if m.__name__.endswith("Event") and m is not AuditEvent and not issubclass(m, WorkflowEvent)
    ]
    assert logs == []


def test_each_workflow_logs_into_a_workflow_event_model():
    for flow in all_workflows():
        assert issubclass(flow.event_model, WorkflowEvent), flow.audit_prefix


def test_no_app_keeps_a_transition_table_of_its_own():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _production_modules()
        if "TRANSITIONS" in path.read_text(encoding="utf-8") and path.parts[-2] != "core"
    ]
    assert offenders == []
