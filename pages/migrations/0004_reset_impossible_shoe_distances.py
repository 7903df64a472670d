from django.db import migrations


def reset_impossible_distances(apps, schema_editor):
    """A shoe limit of 1.5e308 miles was stored as infinity, after which every page of its
    runner answered 500. Such values go back to the defaults (start 0, limit 800 km), which
    the runner can then edit. On PostgreSQL NaN sorts above every number, so it goes too."""
    Shoe = apps.get_model("pages", "Shoe")
    Shoe.objects.filter(start_km__gt=10_000).update(start_km=0)
    Shoe.objects.filter(limit_km__gt=10_000).update(limit_km=800)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_attempt_no_pending_accounts"),
    ]

    operations = [
        migrations.RunPython(reset_impossible_distances, migrations.RunPython.noop),
    ]
