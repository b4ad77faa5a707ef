"""A partner's funding organisation was stored as a representative row; it is
now the user's own link, so partner staff are never representatives."""

from django.db import migrations

PARTNER = "partner"  # members.OrganisationKind.PARTNER when this was written


def move_to_the_link(apps, schema_editor):
    Representative = apps.get_model("members", "Representative")
    User = apps.get_model("accounts", "User")
    rows = Representative.objects.filter(organisation__kind=PARTNER)
    for user_id, organisation_id in rows.values_list("user_id", "organisation_id"):
        User.objects.filter(pk=user_id).update(partner_organisation_id=organisation_id)
    rows.delete()


def move_back_to_representatives(apps, schema_editor):
    Representative = apps.get_model("members", "Representative")
    User = apps.get_model("accounts", "User")
    staff = User.objects.filter(partner_organisation__isnull=False)
    for user_id, organisation_id in staff.values_list("pk", "partner_organisation_id"):
        Representative.objects.create(user_id=user_id, organisation_id=organisation_id)
    staff.update(partner_organisation=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_partner_organisation"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_to_the_link, move_back_to_representatives)]
