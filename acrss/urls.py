from django.contrib import admin
from django.urls import include, path

from acrss import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("account/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("workshops/", include("workshops.urls")),
    path("reports/", include("reports.urls")),
    path("", include("checkin.urls")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
]
