from django.urls import path

from lvzhi.accounts import preferences, views

app_name = "accounts"
# The buttons of an account's page: one view, told which button (views.Button).
BUTTONS = [
    ("deactivate", views.DEACTIVATE, "user_deactivate"),
    ("reactivate", views.REACTIVATE, "user_reactivate"),
    ("unlock", views.UNLOCK, "user_unlock"),
    ("reset-two-factor", views.TOTP_RESET, "user_totp_reset"),
]
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.totp_setup, name="totp_setup"),
    path("elder-mode/", preferences.elder_mode_toggle, name="elder_mode"),
    path("two-factor/recovery-codes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    *(
        path(f"users/<int:pk>/{route}/", views.account_button, {"button": button}, name=name)
        for route, button, name in BUTTONS
    ),
    path("users/<int:pk>/reset-password/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export/", views.audit_export, name="audit_export"),
]
