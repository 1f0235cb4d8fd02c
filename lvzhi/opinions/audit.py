"""The audit codes the public-opinion app writes (the state tables register
their own: ``opinion_report.<action>``, ``opinion_issue.<action>``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, register_audit_actions
from lvzhi.opinions.models import Level

register_audit_actions(
    Category.DATA,
    {
        "opinions.draft_create": _("public-opinion draft written"),
        "opinions.draft_for_member": _("public-opinion draft made from citizens' messages"),
        "opinions.item_update": _("edited text of a public-opinion item changed"),
        "opinions.issue_create": _("issue of public-opinion information created"),
    },
)
register_audit_actions(
    Category.WORKFLOW,
    {
        "opinions.item_forward": _("public-opinion item forwarded"),
        "opinions.adoption_record": _("adoption of a public-opinion item recorded"),
        "opinions.adoption_correct": _("adoption of a public-opinion item corrected"),
        "opinions.adoption_withdraw": _("adoption of a public-opinion item withdrawn"),
        "opinions.instruction_record": _("leader's instruction on a public-opinion item recorded"),
        "opinions.instruction_withdraw": _(
            "leader's instruction on a public-opinion item withdrawn"
        ),
    },
)
register_audit_actions(
    Category.CONFIG,
    {"opinions.categories_update": _("public-opinion report categories changed")},
)
register_audit_actions(
    Category.EXPORT,
    {
        "opinions.queue_export": _("public-opinion report queue exported"),
        "opinions.stats_export": _("public-opinion statistics exported"),
    },
)

# The auditor's page names the detail keys and coded values of these rows.
register_detail_labels(
    {
        "level": pgettext_lazy("audit detail", "level"),
        "categories": pgettext_lazy("audit detail", "categories"),
    },
    {"level": dict(Level.choices)},
)
