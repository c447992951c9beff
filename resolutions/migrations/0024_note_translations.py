"""Notes in several languages (issue 17): the language a note is written in, its translations, each
reviewed like a note, and the roles' permissions on them (resolutions.workflow.ROLE_PERMISSIONS)."""

import django.db.models.deletion
import resolutions.models
from django.conf import settings
from django.db import migrations, models


def roles(apps, schema_editor):
    """Editors translate; Reviewers and Administrators publish, send back, withdraw and delete translations."""
    from resolutions.workflow import ensure_roles

    ensure_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('resolutions', '0023_translatable_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='implementationnote',
            name='language',
            field=models.CharField(choices=[('ar', 'العربية'), ('zh', '中文'), ('en', 'English'), ('fr', 'Français'), ('ru', 'Русский'), ('es', 'Español')], default='en', help_text='The language it is written in. Its translations into others are reviewed one by one.', max_length=8, verbose_name='language'),
        ),
        migrations.CreateModel(
            name='NoteTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=16)),
                ('content_fingerprint', models.CharField(blank=True, editable=False, help_text='Digest of its public content when its last edit was recorded.', max_length=64)),
                ('language', models.CharField(choices=[('ar', 'العربية'), ('zh', '中文'), ('en', 'English'), ('fr', 'Français'), ('ru', 'Русский'), ('es', 'Español')], help_text="The language it is translated into: one translation a language, not the note's own.", max_length=8, verbose_name='language')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('body', models.TextField(blank=True, help_text="Markdown, as the note's body. Rendered sanitised on public pages.", validators=[resolutions.models.LengthLimit(20000)], verbose_name='body')),
                ('body_html', models.TextField(blank=True, editable=False, help_text='The body as sanitised HTML, made from the Markdown on save.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='note_translations', to=settings.AUTH_USER_MODEL, verbose_name='translator')),
                ('last_edited_by', models.ForeignKey(blank=True, editable=False, help_text='Who last changed its public content: they cannot publish it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('note', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='resolutions.implementationnote', verbose_name='note')),
            ],
            options={
                'verbose_name': 'note translation',
                'verbose_name_plural': 'note translations',
                'ordering': ['note', 'language'],
                'permissions': [('publish_notetranslation', 'Can publish, send back and withdraw note translations')],
                'constraints': [models.UniqueConstraint(fields=('note', 'language'), name='one_translation_a_language')],
            },
        ),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
