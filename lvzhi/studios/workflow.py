"""The state table of a studio's service project (特色服务项目)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.workflow import Transition, Workflow
from lvzhi.studios.models import ServiceProject, ServiceProjectEvent

S = ServiceProject.Status

SERVICE_PROJECT_FLOW = Workflow(
    model=ServiceProject,
    event_model=ServiceProjectEvent,
    event_subject="project",
    audit_prefix="studios.service_project",
    transitions=[
        Transition(
            "finish",
            _("Finish the project"),
            source={S.ACTIVE},
            target=S.FINISHED,
            permission="studios.finish_service_project",
            style="secondary",
        ),
    ],
)
