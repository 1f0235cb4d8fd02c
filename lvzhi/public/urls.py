from django.urls import path

from lvzhi.public import views

app_name = "public"

urlpatterns = [
    # The citizen's pages, no login: /p/<venue code>/ is what the QR code opens.
    path("p/track/", views.track_lookup, name="track_lookup"),
    path("p/t/<str:code>/", views.track, name="track"),
    path("p/<slug:code>/", views.venue_page, name="venue_page"),
    # Staff, leaders and the venues' members.
    path("public/", views.inbox, name="inbox"),
    path("public/m/<int:pk>/", views.message_detail, name="message_detail"),
    path("public/m/<int:pk>/approve/", views.message_approve, name="message_approve"),
    path("public/m/<int:pk>/assign/", views.message_assign, name="message_assign"),
    path("public/m/<int:pk>/reply/", views.message_reply, name="message_reply"),
    path("public/m/<int:pk>/close/", views.message_close, name="message_close"),
    path("public/m/<int:pk>/photo/<int:attachment_pk>/", views.message_photo, name="message_photo"),
    path("public/convert/", views.convert, name="convert"),
    path(
        "public/sources/<int:type_pk>/<int:object_pk>/",
        views.conversion_sources,
        name="conversion_sources",
    ),
    path("public/venues/", views.venue_list, name="venue_list"),
    path("public/venues/new-room/", views.room_create, name="room_create"),
    path("public/venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("public/venues/<int:pk>/poster/", views.poster, name="poster"),
    path("public/report/", views.report, name="report"),
    path("public/settings/", views.settings_view, name="settings"),
]
