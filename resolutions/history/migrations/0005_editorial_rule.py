"""History of the editorial rule's fields (resolutions 0009): assessments' past rows were public."""

import django.db.models.deletion
import resolutions.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('history', '0004_paragraph_section'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalassessment',
            name='last_edited_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='Who last changed its public content: they cannot publish it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='published', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalassessment',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=16),
        ),
        migrations.AddField(
            model_name='historicalimplementationnote',
            name='last_edited_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='Who last changed its public content: they cannot publish it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalimplementationnote',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown, at most 20,000 characters. Rendered sanitised on public pages.', validators=[resolutions.models.LengthLimit(20000)]),
        ),
    ]
