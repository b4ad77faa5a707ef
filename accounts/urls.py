from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="set-language"),
    path("roles/", views.roles, name="roles"),
    path("emails/failed/", views.failed_emails, name="failed-emails"),
    path("emails/<int:pk>/send-again/", views.send_email_again, name="send-email-again"),
    path("reminder/dismiss/", views.dismiss_reminder, name="dismiss-reminder"),
]
