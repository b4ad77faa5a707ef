from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from acrss import views

# The admin signs in through allauth only: its rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("account/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("workshops/", include("workshops.urls")),
    path("reports/", include("reports.urls")),
    path("", include("checkin.urls")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
]

handler400 = "acrss.views.bad_request"
handler500 = "acrss.views.server_error"
