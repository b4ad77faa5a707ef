from django.db import migrations

THEMES = [
    "ssr", "peace", "human-rights", "justice", "gender", "youth",
    "accountability", "extremism", "elections", "local", "media",
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("members", "Theme")
    for code in THEMES:
        Theme.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
