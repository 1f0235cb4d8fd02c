from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "lvzhi.studios"
    label = "studios"
    verbose_name = _("Studios and stations")

    def ready(self) -> None:
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts
        from lvzhi.studios import audit, settings_defs, workflow  # noqa: F401  (registries)

        register(NavItem(_("Studios"), "studios:studio_list", "studios.view", "house-heart", 60))
        studios = Shortcut(
            _("Studios at work"), "studios:studio_list", "studios.view", "house-heart"
        )
        stations = Shortcut(
            _("Stations at work"), "studios:station_list", "studios.view", "geo-alt"
        )
        ratings = Shortcut(
            _("Studio star ratings"), "studios:rating_list", "studios.view_ratings", "stars"
        )
        rotation = Shortcut(
            _("Sector rotation"), "studios:rotation", "studios.view_rotation", "arrow-repeat"
        )
        register_shortcuts(
            "member",
            Shortcut(
                _("My sector's duty"), "studios:my_duty", "studios.view_own_duty", "calendar-week"
            ),
            studios,
        )
        register_shortcuts("staff:public", studios, stations, ratings, rotation)
        register_shortcuts("staff:org", rotation)
        register_shortcuts("leader", studios, ratings, rotation)
