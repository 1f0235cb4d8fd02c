from django.urls import path

from lvzhi.opinions import views

app_name = "opinions"
urlpatterns = [
    path("mine/", views.my_reports, name="my_reports"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("<int:pk>/not-used/", views.report_not_use, name="report_not_use"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("queue/", views.queue, name="queue"),
    path("queue/export/", views.queue_export, name="queue_export"),
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/merge/", views.item_merge, name="item_merge"),
    path("items/<int:pk>/forward/", views.item_forward, name="item_forward"),
    path("items/<int:pk>/adopt/", views.adoption_create, name="adoption_create"),
    path("items/<int:pk>/instruction/", views.instruction_create, name="instruction_create"),
    path("items/<int:pk>/instruct/", views.instruction_write, name="instruction_write"),
    path("adoptions/<int:pk>/edit/", views.adoption_edit, name="adoption_edit"),
    path("adoptions/<int:pk>/withdraw/", views.adoption_withdraw, name="adoption_withdraw"),
    path(
        "instructions/<int:pk>/withdraw/",
        views.instruction_withdraw,
        name="instruction_withdraw",
    ),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/items/", views.issue_add_items, name="issue_add_items"),
    path(
        "issues/<int:pk>/items/<int:item_pk>/remove/",
        views.issue_remove_item,
        name="issue_remove_item",
    ),
    path(
        "issues/<int:pk>/items/<int:item_pk>/move/", views.issue_move_item, name="issue_move_item"
    ),
    path("issues/<int:pk>/publish/", views.issue_publish, name="issue_publish"),
    path("issues/<int:pk>/print/", views.issue_print, name="issue_print"),
    path("stats/", views.stats, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
    path("settings/", views.settings_edit, name="settings"),
]
