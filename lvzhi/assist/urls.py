from django.urls import path

from lvzhi.assist import views

app_name = "assist"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("similar/", views.similar, name="similar"),
    path("units/", views.units, name="units"),
    path("coverage/", views.coverage, name="coverage"),
    path("messages/", views.message_groups, name="message_groups"),
]
