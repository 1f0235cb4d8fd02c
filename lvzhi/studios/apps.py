from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class StudiosConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.studios"
    verbose_name = _("Studios and stations")

    def register(self) -> None:
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts
        from lvzhi.points.sector_work import register_sector_work
        from lvzhi.studios.sector_work import rotation_of_sector

        # The convener's sector page shows the sector's rotation (points cannot import studios).
        register_sector_work(rotation_of_sector)

        register(NavItem(_("Studios"), "studios:studio_list", "studios.view", "house-heart", 60))
        duty = Shortcut(
            _("My sector's duty"), "studios:my_duty", "studios.view_own_duty", "calendar-week"
        )
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
        register_shortcuts("member", duty, studios)
        register_shortcuts("staff:public", studios, stations, ratings, rotation)
        register_shortcuts("staff:org", rotation)
        register_shortcuts("leader", studios, ratings, rotation)
