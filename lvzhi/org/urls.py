from django.urls import include, path

from lvzhi.org import views

app_name = "org"
urlpatterns = [
    path("switch/", views.switch_committee, name="switch_committee"),
    # Roster import/export lives in its own module (lvzhi/org/roster_views.py).
    path("roster/", include("lvzhi.org.roster_urls")),
    # Members (委员)
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("me/", views.my_profile, name="my_profile"),
    # The committee, its terms and plenary sessions
    path("structure/", views.structure, name="structure"),
    path("structure/terms/new/", views.term_create, name="term_create"),
    path("structure/terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path(
        "structure/terms/<int:term_pk>/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path("structure/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    # Sector clusters, sectors, special committees
    path("structure/clusters/", views.cluster_list, name="cluster_list"),
    path("structure/clusters/new/", views.cluster_create, name="cluster_create"),
    path("structure/clusters/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("structure/sectors/", views.sector_list, name="sector_list"),
    path("structure/sectors/new/", views.sector_create, name="sector_create"),
    path("structure/sectors/<int:pk>/edit/", views.sector_edit, name="sector_edit"),
    path(
        "structure/special-committees/",
        views.special_committee_list,
        name="special_committee_list",
    ),
    path(
        "structure/special-committees/new/",
        views.special_committee_create,
        name="special_committee_create",
    ),
    path(
        "structure/special-committees/<int:pk>/edit/",
        views.special_committee_edit,
        name="special_committee_edit",
    ),
    # Handling units (承办单位)
    path("structure/units/", views.unit_list, name="unit_list"),
    path("structure/units/new/", views.unit_create, name="unit_create"),
    path("structure/units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("structure/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("structure/units/<int:pk>/deactivate/", views.unit_deactivate, name="unit_deactivate"),
    # Studios (委员工作室) and liaison stations (联络站)
    path("structure/studios/", views.studio_list, name="studio_list"),
    path("structure/studios/new/", views.studio_create, name="studio_create"),
    path("structure/studios/<int:pk>/", views.studio_detail, name="studio_detail"),
    path("structure/studios/<int:pk>/edit/", views.studio_edit, name="studio_edit"),
    path(
        "structure/studios/<int:pk>/deactivate/",
        views.studio_deactivate,
        name="studio_deactivate",
    ),
    path("structure/stations/", views.station_list, name="station_list"),
    path("structure/stations/new/", views.station_create, name="station_create"),
    path("structure/stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("structure/stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path(
        "structure/stations/<int:pk>/deactivate/",
        views.station_deactivate,
        name="station_deactivate",
    ),
]
