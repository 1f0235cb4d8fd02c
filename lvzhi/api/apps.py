from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class ApiConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.api"
    verbose_name = _("API")

    def register(self) -> None:
        from lvzhi.api.webhooks import on_proposal_event, on_reminder
        from lvzhi.core.workflow import event_listen
        from lvzhi.org.home import Shortcut, register_shortcuts
        from lvzhi.proposals.models import ProposalEvent
        from lvzhi.proposals.tasks import reminder_listen

        # The webhooks' outbox is written in the transaction of what it announces.
        event_listen(ProposalEvent, on_proposal_event)
        reminder_listen(on_reminder)

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
