from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lvzhi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from lvzhi.accounts import audit  # noqa: F401 - registers the audit codes
        from lvzhi.core.navigation import NavItem, register

        register(
            NavItem(
                label=_("Accounts and roles"),
                url_name="accounts:user_list",
                permission="accounts.manage_roles",
                icon="people",
                order=900,
            ),
            NavItem(
                label=_("Audit trail"),
                url_name="accounts:audit_list",
                permission="core.view_audit",
                icon="journal-text",
                order=910,
            ),
        )
