from django.urls import path

from lvzhi.studios import views

app_name = "studios"

urlpatterns = [
    path("", views.studio_list, name="studio_list"),
    path("<int:pk>/", views.studio_detail, name="studio_detail"),
    path("<int:pk>/projects/new/", views.project_create, name="project_create"),
    path("<int:pk>/activities/new/", views.studio_activity, name="studio_activity"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/finish/", views.project_finish, name="project_finish"),
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/compute/", views.ratings_compute, name="ratings_compute"),
    path("ratings/criteria/", views.policy_edit, name="policy_edit"),
    path("ratings/<int:pk>/adjust/", views.rating_adjust, name="rating_adjust"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/activities/new/", views.station_activity, name="station_activity"),
    path("stations/<int:pk>/members/", views.station_members, name="station_members"),
    path("stations/<int:pk>/leaders/", views.station_leader_add, name="station_leader_add"),
    path(
        "stations/leaders/<int:pk>/remove/",
        views.station_leader_remove,
        name="station_leader_remove",
    ),
    path("rotation/", views.rotation, name="rotation"),
    path("rotation/new/", views.rotation_create, name="rotation_create"),
    path("rotation/<int:pk>/generate/", views.rotation_generate, name="rotation_generate"),
    path("rotation/<int:pk>/blocked/", views.blocked_week_add, name="blocked_week_add"),
    path("rotation/weeks/<int:pk>/", views.duty_week_edit, name="duty_week_edit"),
    path("rotation/leads/<int:pk>/", views.lead_edit, name="lead_edit"),
    path("my-duty/", views.my_duty, name="my_duty"),
]
