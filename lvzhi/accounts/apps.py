from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class AccountsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.accounts"
    verbose_name = _("Accounts")

    def register(self) -> None:
        from lvzhi.core.navigation import NavItem, register

        register(
            NavItem(
                _("Accounts and roles"),
                "accounts:user_list",
                "accounts.manage_roles",
                "people",
                900,
            ),
            NavItem(
                _("Audit trail"), "accounts:audit_list", "core.view_audit", "journal-text", 910
            ),
        )
