from django.urls import include, path

from lvzhi.api.main import api
from lvzhi.org.home import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("org/", include("lvzhi.org.urls")),
    path("core/", include("lvzhi.core.urls")),
    path("opinions/", include("lvzhi.opinions.urls")),
    path("consultations/", include("lvzhi.consultations.urls")),
    path("proposals/", include("lvzhi.proposals.urls")),
    path("duties/", include("lvzhi.duties.urls")),
    path("points/", include("lvzhi.points.urls")),
    path("studios/", include("lvzhi.studios.urls")),
    path("reports/", include("lvzhi.reports.urls")),
    path("assist/", include("lvzhi.assist.urls")),
    path("api/v1/", api.urls),
    path("api/", include("lvzhi.api.urls")),
    path("", include("lvzhi.public.urls")),
]

# Error pages (lvzhi/core/views.py): a 403 writes an audit row before it renders.
handler403 = "lvzhi.core.views.permission_denied"
handler404 = "lvzhi.core.views.page_not_found"
handler500 = "lvzhi.core.views.server_error"
