"""Load ISO 3166-1 countries from pycountry, so that notes can be tagged from the start."""

from django.db import migrations

from resolutions.countries import sync_countries


def load_countries(apps, schema_editor):
    sync_countries(apps.get_model("resolutions", "Country"))


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
