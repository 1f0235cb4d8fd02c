from django.urls import path

from lvzhi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("me/", views.me, name="me"),
    path("unit/", views.unit_record, name="unit"),
    path("export.xlsx", views.export, name="export"),
    path("year/", views.year_page, name="year"),
    path("rollup/", views.rollup_page, name="rollup"),
    path("year.docx", views.year_export, name="year_export"),
    path("<slug:key>/", views.section, name="section"),
]
