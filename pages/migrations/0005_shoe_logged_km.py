from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def count_logged_km(apps, schema_editor):
    """Each existing pair's distance, summed once over its entries (as recount_shoes)."""
    Entry, Shoe = apps.get_model("pages", "Entry"), apps.get_model("pages", "Shoe")
    logged = (
        Entry.objects.filter(shoe=OuterRef("pk"))
        .values("shoe")
        .annotate(km=Sum("distance_km"))
        .values("km")
    )
    Shoe.objects.update(logged_km=Coalesce(Subquery(logged), Value(0.0)))


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_push")]

    operations = [
        migrations.AddField(
            model_name="shoe",
            name="logged_km",
            field=models.FloatField(default=0, editable=False),
        ),
        migrations.RunPython(count_logged_km, migrations.RunPython.noop),
    ]
