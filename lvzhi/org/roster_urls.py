from django.urls import path

# Roster import and export views are added here (lvzhi/org/roster_views.py).
urlpatterns: list = []
