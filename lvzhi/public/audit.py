"""The public channel's audit codes (imported from PublicConfig.ready).
The message's workflow steps ("public.message.<action>") are registered by
its Workflow (workflow.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, audit_actions_in
from lvzhi.public.models import Message

data_action = audit_actions_in(Category.DATA)
privacy_action = audit_actions_in(Category.PRIVACY)
security_action = audit_actions_in(Category.SECURITY)

MESSAGE_SUBMIT = data_action("public.message_submit", _("message from the public received"))
MESSAGE_VIEW_MOBILE = privacy_action(
    "public.message_view_mobile", _("mobile number of a citizen viewed")
)
VENUES_SYNC = data_action("public.venues_sync", _("QR pages made for studios and stations"))
ROOM_CREATE = data_action("public.room_create", _("consultation room created"))
VENUE_UPDATE = data_action("public.venue_update", _("QR venue changed"))
# A flood is aggregated (guard.py): one row at a venue's first refusal of a
# minute, one with the minute's total when the counters are pruned.
PUBLIC_REFUSED = security_action(
    "public.refused", _("message from the public refused (rate limit or hidden field)")
)
PUBLIC_REFUSALS_COUNTED = security_action(
    "public.refusals_counted", _("refusals of messages from the public in one minute")
)
CONVERSION_CREATE = data_action("public.conversion_create", _("messages from the public converted"))

# The auditor's page names the detail keys and coded values of these rows
# (conversions name their kinds as they register, public/conversions.py).
register_detail_labels(
    {
        "messages": pgettext_lazy("audit detail", "messages (numbers)"),
        "minute": pgettext_lazy("audit detail", "minute"),
    },
    {
        "status": dict(Message.Status.choices),
        "kind": {
            "rate_limit": pgettext_lazy("refusal", "hourly limit of one address"),
            "honeypot": pgettext_lazy("refusal", "hidden field filled (automated sending)"),
        },
    },
)
