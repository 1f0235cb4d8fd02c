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

MESSAGE_SUBMIT = data_action("public.message_submit", _("message from the public received"))
MESSAGE_VIEW_MOBILE = privacy_action(
    "public.message_view_mobile", _("mobile number of a citizen viewed")
)
VENUES_SYNC = data_action("public.venues_sync", _("QR pages made for studios and stations"))
ROOM_CREATE = data_action("public.room_create", _("consultation room created"))
CONVERSION_CREATE = data_action("public.conversion_create", _("messages from the public converted"))

# The auditor's page names the detail keys and coded values of these rows
# (conversions name their kinds as they register, public/conversions.py).
register_detail_labels(
    {"messages": pgettext_lazy("audit detail", "messages (numbers)")},
    {"status": dict(Message.Status.choices)},
)
