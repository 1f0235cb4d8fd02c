from django.urls import path

from lvzhi.points import scheme_views, sector_views, views

app_name = "points"
urlpatterns = [
    path("mine/", views.my_points, name="my_points"),
    path("mine/self-report/", views.self_report, name="self_report"),
    path("mine/file/", views.duty_file_mine, name="duty_file_mine"),
    path("members/<int:member_pk>/file/", views.duty_file, name="duty_file"),
    path("ranking/", views.ranking, name="ranking"),
    path("sectors/", sector_views.sector_list, name="sectors"),
    path("sectors/<int:pk>/", sector_views.sector, name="sector"),
    path(
        "sectors/<int:pk>/members/<int:member_pk>/talk/",
        sector_views.talk_add,
        name="talk_add",
    ),
    path("candidates/", views.candidates, name="candidates"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/from-scheme/", scheme_views.policy_new, name="policy_new"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
    path(
        "policies/<int:pk>/scheme/<slug:element>/new/",
        scheme_views.scheme_element,
        name="scheme_element_new",
    ),
    path(
        "policies/<int:pk>/scheme/<slug:element>/<int:index>/",
        scheme_views.scheme_element,
        name="scheme_element",
    ),
    path(
        "policies/<int:pk>/scheme/<slug:element>/<int:index>/remove/",
        scheme_views.scheme_element_remove,
        name="scheme_element_remove",
    ),
    path("policies/<int:pk>/export/", scheme_views.policy_export, name="policy_export"),
    path("entries/", scheme_views.entry_list, name="entry_list"),
    path("entries/new/", scheme_views.entry_add, name="entry_add"),
    path("entries/<int:pk>/remove/", scheme_views.entry_remove, name="entry_remove"),
    path("policies/<int:pk>/copy/", views.policy_copy, name="policy_copy"),
    path("policies/<int:pk>/preview/", views.policy_preview, name="policy_preview"),
    path("policies/<int:pk>/activate/", views.policy_activate, name="policy_activate"),
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/open/", views.assessment_open_all, name="assessment_open_all"),
    path("assessments/<int:pk>/", views.assessment_review, name="assessment_review"),
    path("assessments/<int:pk>/publish/", views.assessment_publish, name="assessment_publish"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/generate/", views.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/export/", views.bulletin_export, name="bulletin_export"),
]
