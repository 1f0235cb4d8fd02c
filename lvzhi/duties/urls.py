from django.urls import path

from lvzhi.duties import views

app_name = "duties"
urlpatterns = [
    # Activities (staff)
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/publish/", views.activity_publish, name="activity_publish"),
    path("activities/<int:pk>/close/", views.activity_close, name="activity_close"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/qr/", views.activity_qr, name="activity_qr"),
    path("invitations/<int:pk>/mark/", views.invitation_mark, name="invitation_mark"),
    path("invitations/<int:pk>/correct/", views.invitation_correct, name="invitation_correct"),
    path("activities/<int:pk>/sign-in-sheet/", views.activity_sheet, name="activity_sheet"),
    path("activities/attendance.xlsx", views.activity_export, name="activity_export"),
    path("leave/", views.leave_list, name="leave_list"),
    path("leave/<int:pk>/decide/", views.leave_decide, name="leave_decide"),
    # Activities (members)
    path("mine/", views.my_duties, name="my_duties"),
    path("open/", views.open_activities, name="open_activities"),
    path("activities/<int:pk>/sign-up/", views.invitation_sign_up, name="invitation_sign_up"),
    path("activities/<int:pk>/leave/", views.invitation_leave, name="invitation_leave"),
    path(
        "activities/<int:pk>/leave/withdraw/",
        views.invitation_withdraw_leave,
        name="invitation_withdraw_leave",
    ),
    path("checkin/<int:pk>/<int:slot>/<str:token>/", views.checkin_view, name="checkin"),
    # Study notes
    path("notes/", views.note_list, name="note_list"),
    path("notes/new/", views.note_create, name="note_create"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    # Plenary speeches
    path("speeches/", views.speech_list, name="speech_list"),
    path("speeches/new/", views.speech_create, name="speech_create"),
    path("speeches/<int:pk>/delete/", views.speech_delete, name="speech_delete"),
    # Services to the public, investment and talent
    path("contributions/mine/", views.contribution_mine, name="contribution_mine"),
    path("contributions/new/", views.contribution_create, name="contribution_create"),
    path("contributions/", views.contribution_list, name="contribution_list"),
    path("contributions/<int:pk>/review/", views.contribution_review, name="contribution_review"),
    path(
        "contributions/<int:pk>/evidence/<int:attachment_pk>/",
        views.contribution_evidence,
        name="contribution_evidence",
    ),
    # Annual duty projects
    path("projects/mine/", views.project_mine, name="project_mine"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/link/", views.project_link, name="project_link"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/review/", views.project_review, name="project_review"),
    # The committee's settings
    path("settings/", views.duty_settings, name="settings"),
]
