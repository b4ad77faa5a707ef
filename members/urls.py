from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("membership/", views.my_organisation, name="mine"),
    path("membership/organisation/new/", views.create_organisation, name="create"),
    path("membership/organisation/edit/", views.edit_organisation, name="edit"),
    path("membership/documents/add/", views.add_document, name="add-document"),
    path("membership/documents/<int:pk>/", views.download_document, name="document"),
    path("membership/documents/<int:pk>/remove/", views.remove_document, name="remove-document"),
    path("membership/submit/", views.submit_application, name="submit"),
    path("membership/apply-again/", views.apply_again, name="apply-again"),
    path("membership/invite/", views.invite_representative, name="invite"),
    path("membership/ask-for-invitation/", views.ask_for_invitation, name="ask-for-invitation"),
    path("membership/join/<str:token>/", views.accept_invitation, name="join"),
    path("applications/", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/vote/", views.vote, name="vote"),
    path(
        "applications/<int:pk>/request-information/",
        views.request_information,
        name="request-information",
    ),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<int:pk>/<str:action>/",
        views.change_membership,
        name="change-membership",
    ),
    path("directory/", views.directory, name="directory"),
]
