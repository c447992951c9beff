"""The editorial rule on every path (issue 10): who last changed a note's or an assessment's public
content, a fingerprint of that content, assessments reviewed like notes (the existing ones were
public, so they migrate as published), and the roles' new permissions (publish assessments; API
tokens for Administrators)."""

import django.db.models.deletion
import resolutions.models
from django.conf import settings
from django.db import migrations, models


def record_present_content(apps, schema_editor):
    """Existing notes and assessments: their present content is what was reviewed, with no editor.
    In batches (a few queries per thousand notes), so that a database with a year of notes migrates
    in seconds."""
    from resolutions.models import assessment_reviewed_content, note_reviewed_contents
    from resolutions.workflow import ensure_roles, fingerprint

    using = schema_editor.connection.alias
    batch = 1000
    note_model = apps.get_model("resolutions", "ImplementationNote")
    assessment_model = apps.get_model("resolutions", "Assessment")
    for model in (note_model, assessment_model):
        pks = list(model.objects.using(using).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch):
            rows = list(model.objects.using(using).filter(pk__in=pks[start : start + batch]))
            if model is note_model:
                contents = note_reviewed_contents(note_model, rows)
            else:
                contents = {row.pk: assessment_reviewed_content(row) for row in rows}
            for row in rows:
                row.content_fingerprint = fingerprint(contents[row.pk])
            model.objects.using(using).bulk_update(rows, ["content_fingerprint"], batch_size=batch)
    ensure_roles(apps, using=using)


class Migration(migrations.Migration):

    dependencies = [
        ('resolutions', '0010_sections'),
        ('authtoken', '0004_alter_tokenproxy_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='assessment',
            options={'get_latest_by': ['as_of', 'id'], 'ordering': ['paragraph', '-as_of', '-id'], 'permissions': [('publish_assessment', 'Can publish, send back and withdraw assessments')]},
        ),
        migrations.AddField(
            model_name='assessment',
            name='content_fingerprint',
            field=models.CharField(blank=True, editable=False, help_text='Digest of its public content when its last edit was recorded.', max_length=64),
        ),
        migrations.AddField(
            model_name='assessment',
            name='last_edited_by',
            field=models.ForeignKey(blank=True, editable=False, help_text='Who last changed its public content: they cannot publish it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='assessment',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='published', max_length=16),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=16),
        ),
        migrations.AddField(
            model_name='implementationnote',
            name='content_fingerprint',
            field=models.CharField(blank=True, editable=False, help_text='Digest of its public content when its last edit was recorded.', max_length=64),
        ),
        migrations.AddField(
            model_name='implementationnote',
            name='last_edited_by',
            field=models.ForeignKey(blank=True, editable=False, help_text='Who last changed its public content: they cannot publish it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='implementationnote',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown, at most 20,000 characters. Rendered sanitised on public pages.', validators=[resolutions.models.LengthLimit(20000)]),
        ),
        migrations.RunPython(record_present_content, migrations.RunPython.noop),
    ]
