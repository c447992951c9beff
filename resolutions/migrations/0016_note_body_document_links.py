"""Notes' stored bodies re-rendered once: document symbols in them are links now (resolutions.markup)."""

from django.db import migrations


def render_bodies(apps, schema_editor):
    from resolutions.markup import render_markdown

    ImplementationNote = apps.get_model("resolutions", "ImplementationNote")
    notes = list(ImplementationNote.objects.only("pk", "body", "body_html"))
    changed = []
    for note in notes:
        html = render_markdown(note.body)
        if html != note.body_html:
            note.body_html = html
            changed.append(note)
    ImplementationNote.objects.bulk_update(changed, ["body_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0015_search_note_links")]

    operations = [migrations.RunPython(render_bodies, migrations.RunPython.noop)]
