from django.urls import path
from django.views.i18n import set_language

from lvzhi.core import export_views, pwa, system_views, views

app_name = "core"
urlpatterns = [
    path("holidays/", views.holiday_list, name="holiday_list"),
    path("holidays/new/", views.holiday_create, name="holiday_create"),
    path("holidays/<int:pk>/edit/", views.holiday_edit, name="holiday_edit"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("system/", system_views.system_page, name="system"),
    path("system/settings/", system_views.settings_hub, name="settings_hub"),
    path("inbox/", views.inbox, name="inbox"),
    path("exports/<uuid:pk>/", export_views.export_job, name="export_job"),
    path("exports/<uuid:pk>/download/", export_views.export_download, name="export_download"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    # The fixed cost of a logged-in page, measured by bench/run.py.
    path("minimal/", views.minimal_page, name="minimal"),
    # The language switch at the foot of every page (lvzhi/core/language.py).
    path("language/", set_language, name="set_language"),
    # Installable on phones (lvzhi/core/pwa.py).
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
