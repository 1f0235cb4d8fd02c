from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class AccountsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.accounts"
    verbose_name = _("Accounts")

    def register(self) -> None:
        from django.core import checks
        from django.db.models.signals import pre_delete

        from lvzhi.accounts.models import User
        from lvzhi.accounts.residual import refuse_deleting_an_account_that_acted
        from lvzhi.accounts.second_factor import second_factor_required
        from lvzhi.core.navigation import NavItem, register

        checks.register(second_factor_required, checks.Tags.security, deploy=True)
        pre_delete.connect(
            refuse_deleting_an_account_that_acted, sender=User, dispatch_uid="accounts.residual"
        )

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
