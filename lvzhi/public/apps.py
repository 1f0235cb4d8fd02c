from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class PublicConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.public"
    verbose_name = _("Public channel")

    def register(self) -> None:
        from lvzhi.public import todos

        todos.register()
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts
        from lvzhi.public import conversions, selectors
        from lvzhi.studios.rating import register_metric_source

        conversions.register_defaults()
        from lvzhi.core.ratelimit import on_prune
        from lvzhi.public.guard import refusals_summarise

        on_prune(refusals_summarise)
        register_metric_source(selectors.studio_message_figures)
        register(
            NavItem(
                _("Public messages"), "public:inbox", "public.view_inbox", "chat-square-text", 55
            )
        )
        inbox = Shortcut(
            _("Messages from the public"), "public:inbox", "public.view_inbox", "inbox"
        )
        report = Shortcut(
            _("Public channel report"), "public:report", "public.view_report", "bar-chart"
        )
        venues = Shortcut(_("QR venues"), "public:venue_list", "public.manage_venues", "qr-code")
        settings = Shortcut(
            _("Public channel settings"), "public:settings", "public.configure", "sliders"
        )
        register_shortcuts("member", inbox)
        register_shortcuts("staff:public", inbox, venues, report, settings)
        register_shortcuts("leader", inbox, report)
