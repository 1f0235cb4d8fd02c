from django.urls import path

from lvzhi.org import roster_views

# Included under /org/roster/ in the "org" namespace (lvzhi/org/urls.py).
urlpatterns = [
    path("import/", roster_views.roster_import, name="roster_import"),
    path("template.xlsx", roster_views.roster_template, name="roster_template"),
    path("export.xlsx", roster_views.roster_export, name="roster_export"),
    path("export-full/", roster_views.roster_export_full, name="roster_export_full"),
]
