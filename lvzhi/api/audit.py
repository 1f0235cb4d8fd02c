"""The audit codes of the API app. Imported from ``ApiConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.audit import register_detail_labels
from lvzhi.core.audit import Category, audit_actions_in

security_action = audit_actions_in(Category.SECURITY)

TOKEN_CREATE = security_action("api.token_create", _("API access token created"))
TOKEN_REVOKE = security_action("api.token_revoke", _("API access token revoked"))
UNIT_CREDENTIAL_CREATE = security_action(
    "api.unit_credential_create", _("system credential of a handling unit created")
)
UNIT_CREDENTIAL_REVOKE = security_action(
    "api.unit_credential_revoke", _("system credential of a handling unit revoked")
)
WEBHOOK_CREATE = security_action("api.webhook_create", _("webhook address of a unit registered"))
WEBHOOK_REMOVE = security_action("api.webhook_remove", _("webhook address of a unit removed"))
WEBHOOK_DELIVERY = security_action("api.webhook_delivery", _("webhook delivery attempted"))
WEBHOOK_DROP = security_action(
    "api.webhook_drop", _("waiting webhook deliveries given up (too many for one address)")
)

# The auditor's page names the detail keys of these rows.
register_detail_labels({"days": pgettext_lazy("audit detail", "valid for (days)")})
