from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class ApiConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.api"
    verbose_name = _("API")

    def register(self) -> None:
        from lvzhi.org.home import Shortcut, register_shortcuts

        webhooks = Shortcut(
            _("Webhook addresses of handling units"),
            "api:webhook_list",
            "api.manage_unit_webhooks",
            "broadcast",
        )
        register_shortcuts("unit", webhooks)
        register_shortcuts(
            "staff:proposals",
            Shortcut(
                _("System credentials of handling units"),
                "api:unit_credential_list",
                "api.manage_unit_credentials",
                "key",
            ),
        )
