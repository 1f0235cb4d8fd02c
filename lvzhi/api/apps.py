from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class ApiConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.api"
    verbose_name = _("API")
