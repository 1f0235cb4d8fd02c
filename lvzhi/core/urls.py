from django.urls import path

app_name = "core"
# Holiday calendar pages are added here (lvzhi/core/views.py).
urlpatterns: list = []
