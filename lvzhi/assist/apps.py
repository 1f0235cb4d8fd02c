from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class AssistConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.assist"
    verbose_name = _("Assistance")
