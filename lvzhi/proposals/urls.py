from django.urls import path

from lvzhi.proposals import views

app_name = "proposals"
urlpatterns = [
    # 提: the member's pages
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("cosign/", views.cosign_inbox, name="cosign_inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.proposal_action, name="action"),
    path("<int:pk>/print/", views.print_proposal, name="print"),
    # 立: the office
    path("", views.proposal_list, name="list"),
    path("review/", views.review, name="review"),
    path("export/", views.export_list, name="export"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.export_stats, name="export_stats"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/<slug:kind>/add/", views.settings_add, name="settings_add"),
    path(
        "settings/<slug:kind>/<int:pk>/<slug:action>/",
        views.settings_action,
        name="settings_action",
    ),
    # 办 and 督: units and leaders
    path("unit/", views.unit_inbox, name="unit_inbox"),
    path(
        "assignments/<int:pk>/do/<slug:action>/", views.assignment_action, name="assignment_action"
    ),
    path("replies/<int:pk>/print/", views.print_reply, name="print_reply"),
    path("supervision/", views.supervision, name="supervision"),
    # 评: excellent proposals
    path("excellent/", views.excellent, name="excellent"),
    path("excellent/publish/", views.excellent_publish, name="excellent_publish"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
