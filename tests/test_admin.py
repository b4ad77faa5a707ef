"""The admin knows every model of the portal and opens each list for an admin."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

OUR_APPS = ["accounts", "audit", "members", "workshops", "reports", "checkin"]


def our_models():
    return [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()]


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.django_db
@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_each_admin_list_opens(client, admin_user, model):
    client.force_login(admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
