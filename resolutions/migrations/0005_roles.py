"""The staff roles: groups Editors, Reviewers and Administrators with the permissions resolutions.workflow lists."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from resolutions.workflow import ensure_roles

    ensure_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("resolutions", "0004_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
