from django.urls import path

from lvzhi.consultations import views

app_name = "consultations"
urlpatterns = [
    # Consultations (协商活动)
    path("", views.consultation_list, name="consultation_list"),
    path("new/", views.consultation_create, name="consultation_create"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("<int:pk>/step/", views.consultation_transition, name="consultation_transition"),
    path("<int:pk>/preparation/", views.preparation_add, name="preparation_add"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("<int:pk>/speeches/", views.speech_add, name="speech_add"),
    path("<int:pk>/outcomes/", views.outcome_add, name="outcome_add"),
    path("<int:pk>/outcomes/<int:outcome_pk>/remove/", views.outcome_remove, name="outcome_remove"),
    path("<int:pk>/evaluation/", views.evaluation_edit, name="evaluation_edit"),
    path("<int:pk>/posts/", views.post_create, name="post_create"),
    path("<int:pk>/posts/<int:post_pk>/edit/", views.post_edit, name="post_edit"),
    path("<int:pk>/posts/<int:post_pk>/hide/", views.post_hide, name="post_hide"),
    path("outcomes/<int:pk>/feedback/", views.outcome_feedback, name="outcome_feedback"),
    # What a department and party/government receive
    path("for-us/", views.unit_inbox, name="unit_inbox"),
    path("for-party-and-government/", views.gov_outcomes, name="gov_outcomes"),
    # Topics and the annual plan
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/decide/", views.topic_decide, name="topic_decide"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/", views.plan_item_add, name="plan_item_add"),
    path(
        "plans/<int:pk>/items/<int:item_pk>/remove/",
        views.plan_item_remove,
        name="plan_item_remove",
    ),
    path("plans/<int:pk>/step/", views.plan_transition, name="plan_transition"),
    # Quality evaluation standard
    path("criteria/", views.criterion_list, name="criterion_list"),
    path("criteria/new/", views.criterion_edit, name="criterion_create"),
    path("criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("settings/", views.settings_edit, name="settings"),
    # Democratic supervision (民主监督)
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/new/", views.supervision_plan_create, name="supervision_plan_create"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/publish/", views.supervision_publish, name="supervision_publish"),
    path("supervision/<int:pk>/items/", views.supervision_item_add, name="supervision_item_add"),
    path(
        "supervision/items/<int:pk>/inspections/",
        views.inspection_create,
        name="inspection_create",
    ),
    path("supervision/items/<int:pk>/findings/", views.finding_create, name="finding_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/held/", views.inspection_hold, name="inspection_hold"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/step/", views.finding_transition, name="finding_transition"),
]
