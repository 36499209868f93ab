"""Fill ``Programme.keywords`` (for full-text search: the code's parts, the countries' names) on
existing rows. Re-runnable: it recomputes the field. The rule is the services' own
(``programmes.search.keywords``), repeated here because migrations do not import app code."""

import re

from django.db import migrations


def fill(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for programme in Programme.objects.prefetch_related("countries").iterator(chunk_size=500):
        parts = " ".join(re.split(r"[\W_]+", programme.code)).strip()
        names = "; ".join(sorted(c.name for c in programme.countries.all()))
        keywords = "\n".join(filter(None, [parts, names]))
        if keywords != programme.keywords:
            Programme.objects.filter(pk=programme.pk).update(keywords=keywords)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0002_events_requests_and_search_keywords")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
