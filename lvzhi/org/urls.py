from django.urls import include, path

from lvzhi.org import views

app_name = "org"
urlpatterns = [
    path("switch/", views.switch_committee, name="switch_committee"),
    # Roster import/export lives in its own module (lvzhi/org/roster_views.py).
    path("roster/", include("lvzhi.org.roster_urls")),
]
