"""The audit codes of the API app. Imported from ``ApiConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, audit_actions_in

security_action = audit_actions_in(Category.SECURITY)

TOKEN_CREATE = security_action("api.token_create", _("API access token created"))
TOKEN_REVOKE = security_action("api.token_revoke", _("API access token revoked"))
