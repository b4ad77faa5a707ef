from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "committee": ["view_application", "decide_application", "view_organisation", "view_document"],
    "secretariat": ["view_application", "view_organisation", "view_document"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="members", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0003_applications"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
