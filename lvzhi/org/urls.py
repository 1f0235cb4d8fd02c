from django.urls import URLPattern, include, path

from lvzhi.org import views
from lvzhi.org.views import (
    CLUSTERS,
    SECTORS,
    SPECIAL_COMMITTEES,
    STATIONS,
    STUDIOS,
    TERMS,
    UNITS,
    Kind,
)


def structure_pages(prefix: str, kind: Kind) -> list[URLPattern]:
    """``structure/<prefix>/`` (the list), ``new/``, ``<pk>/edit/`` and, for
    the kinds that have them, ``<pk>/`` (the detail) and ``<pk>/deactivate/``;
    named ``<kind>_list``, ``<kind>_create``, ``<kind>_edit``, ``<kind>_detail``,
    ``<kind>_deactivate``."""
    base, name, of_kind = f"structure/{prefix}/", kind.name, {"kind": kind}
    pages = [
        path(base, views.row_list, of_kind, name=f"{name}_list"),
        path(f"{base}new/", views.row_create, of_kind, name=f"{name}_create"),
        path(f"{base}<int:pk>/edit/", views.row_edit, of_kind, name=f"{name}_edit"),
    ]
    if kind.has_detail:
        pages.append(path(f"{base}<int:pk>/", views.row_detail, of_kind, name=f"{name}_detail"))
    if kind.deactivate is not None:
        pages.append(
            path(
                f"{base}<int:pk>/deactivate/",
                views.row_deactivate,
                of_kind,
                name=f"{name}_deactivate",
            )
        )
    return pages


app_name = "org"
urlpatterns = [
    path("switch/", views.switch_committee, name="switch_committee"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
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
    path("structure/terms/new/", views.row_create, {"kind": TERMS}, name="term_create"),
    path("structure/terms/<int:pk>/edit/", views.row_edit, {"kind": TERMS}, name="term_edit"),
    path(
        "structure/terms/<int:term_pk>/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path("structure/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    # Sector clusters, sectors, special committees, handling units (承办单位),
    # studios (委员工作室) and liaison stations (联络站): the same pages for each kind.
    *structure_pages("clusters", CLUSTERS),
    *structure_pages("sectors", SECTORS),
    *structure_pages("special-committees", SPECIAL_COMMITTEES),
    *structure_pages("units", UNITS),
    *structure_pages("studios", STUDIOS),
    *structure_pages("stations", STATIONS),
]
