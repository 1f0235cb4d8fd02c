"""The public channel's audit codes (imported from PublicConfig.ready).
The message's workflow steps ("public.message.<action>") are registered by
its Workflow (workflow.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, register_audit_actions

MESSAGE_SUBMIT = "public.message_submit"
MESSAGE_VIEW_MOBILE = "public.message_view_mobile"
VENUES_SYNC = "public.venues_sync"
ROOM_CREATE = "public.room_create"
CONVERSION_CREATE = "public.conversion_create"

register_audit_actions(
    Category.DATA,
    {
        MESSAGE_SUBMIT: _("message from the public received"),
        VENUES_SYNC: _("QR pages made for studios and stations"),
        ROOM_CREATE: _("consultation room created"),
        CONVERSION_CREATE: _("messages from the public converted"),
    },
)
register_audit_actions(
    Category.PRIVACY, {MESSAGE_VIEW_MOBILE: _("mobile number of a citizen viewed")}
)
