from django.urls import include, path

from lvzhi.org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("org/", include("lvzhi.org.urls")),
    path("core/", include("lvzhi.core.urls")),
]
