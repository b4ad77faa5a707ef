"""Every field that looks personal is in the register of personal data, or in its
short list of fields reviewed and found not to be: a new one fails here until
someone says what erasure does with it."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from common.personal_data import NOT_PERSONAL, REGISTER, Erasure, Subject, models_of

LOOKS_PERSONAL = re.compile(
    r"name|phone|mobile|email|e_mail|address|position|function|note|comment|raw|text|"
    r"message|reason|request|repr|birth|description|caption"
)


def looks_personal(field: models.Field) -> bool:
    if isinstance(field, models.JSONField | models.TextField | models.EmailField):
        return True  # free text or raw rows, whatever the name
    if isinstance(field, models.CharField | models.FileField):
        return bool(LOOKS_PERSONAL.search(field.name)) and not field.choices
    return isinstance(field, models.IntegerField) and "birth" in field.name


def fields_that_look_personal() -> set[tuple[str, str]]:
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if looks_personal(field)
    }


def test_every_field_that_looks_personal_is_registered_or_reviewed():
    registered = {(entry.model, entry.field) for entry in REGISTER}
    unlisted = fields_that_look_personal() - registered - set(NOT_PERSONAL)
    assert not unlisted, f"Add to common/personal_data.py what erasure does with: {unlisted}"


def test_the_register_names_only_fields_that_exist():
    for model, field in [(e.model, e.field) for e in REGISTER] + list(NOT_PERSONAL):
        apps.get_model(model)._meta.get_field(field)


def test_a_field_is_either_personal_or_reviewed_not_both():
    assert not {(e.model, e.field) for e in REGISTER} & set(NOT_PERSONAL)


def test_the_heuristic_catches_a_new_personal_field():
    for field in (
        models.CharField(name="contact_name", max_length=10),
        models.CharField(name="mobile_phone", max_length=10),
        models.TextField(name="remarks"),
        models.JSONField(name="raw_rows"),
        models.EmailField(name="backup"),
    ):
        assert looks_personal(field), field.name
    assert not looks_personal(models.CharField(name="status", max_length=10))


def test_an_attendee_s_data_is_erased_not_kept():
    for model in models_of(Subject.PERSON):
        assert all(entry.erasure != Erasure.KEPT for entry in REGISTER if entry.model == model)


def test_every_model_holding_an_attendee_s_data_has_an_eraser():
    from common import personal_data

    missing = [step for step in personal_data.erasure_steps() if step not in personal_data._erasers]
    assert not missing
