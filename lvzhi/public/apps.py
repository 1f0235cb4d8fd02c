from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "lvzhi.public"
    label = "public"
    verbose_name = _("Public channel")

    def ready(self) -> None:
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts
        from lvzhi.public import (  # noqa: F401 -- audit codes, rules, settings and the flow register on import
            audit,
            conversions,
            rules,
            selectors,
            settings_defs,
            workflow,
        )
        from lvzhi.studios.rating import register_metric_source

        conversions.register_defaults()
        register_metric_source(selectors.studio_message_figures)
        register(
            NavItem(
                _("Public messages"), "public:inbox", "public.view_inbox", "chat-square-text", 55
            )
        )
        inbox = Shortcut(
            _("Messages from the public"), "public:inbox", "public.view_inbox", "inbox"
        )
        register_shortcuts("member", inbox)
        register_shortcuts(
            "staff:public",
            inbox,
            Shortcut(_("QR venues"), "public:venue_list", "public.manage_venues", "qr-code"),
            Shortcut(
                _("Public channel report"), "public:report", "public.view_report", "bar-chart"
            ),
            Shortcut(
                _("Public channel settings"), "public:settings", "public.configure", "sliders"
            ),
        )
        register_shortcuts(
            "leader",
            inbox,
            Shortcut(
                _("Public channel report"), "public:report", "public.view_report", "bar-chart"
            ),
        )
