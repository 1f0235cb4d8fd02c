from django.urls import path

from lvzhi.api import views

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("units/", views.unit_credential_list, name="unit_credential_list"),
    path("units/new/", views.unit_credential_create, name="unit_credential_create"),
    path("units/<int:pk>/revoke/", views.unit_credential_revoke, name="unit_credential_revoke"),
    path("units/webhooks/", views.webhook_list, name="webhook_list"),
    path("units/webhooks/new/", views.webhook_create, name="webhook_create"),
    path("units/webhooks/<int:pk>/remove/", views.webhook_remove, name="webhook_remove"),
]
