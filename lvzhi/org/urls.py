from django.urls import path

from lvzhi.org import views

app_name = "org"
urlpatterns = [
    path("switch/", views.switch_committee, name="switch_committee"),
]
