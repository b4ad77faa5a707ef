# Exports are now written by tasks: those waiting, or left running by the former
# loop, get theirs.

import datetime
import uuid

from django.db import migrations, models


def enqueue_pending_exports(apps, schema_editor):
    ExportJob = apps.get_model("reports", "ExportJob")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for job in ExportJob.objects.filter(status__in=["queued", "running"]):
        ExportJob.objects.filter(pk=job.pk).update(status="queued", rows_done=0)
        DBTaskResult.objects.create(
            id=uuid.uuid4(),
            args_kwargs={"args": [job.pk, job.generation], "kwargs": {}},
            task_path="reports.tasks.write_export",
            queue_name="default",
            backend_name="default",
            run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_drop_report_data_version"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="generation",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(enqueue_pending_exports, migrations.RunPython.noop),
    ]
