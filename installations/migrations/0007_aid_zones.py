"""An aid names the ARS zones it applies in (any profession's categories) instead of the doctors' ZIP/ZAC."""

from django.db import migrations, models


ZONES_OF_ZONING = {"any": [], "zip": ["zip"], "zac": ["zac"], "zip_or_zac": ["zip", "zac"]}


def zones_from_zoning(apps, schema_editor):
    Aid = apps.get_model("installations", "Aid")
    for aid in Aid.objects.all().iterator():
        aid.zones = ZONES_OF_ZONING.get(aid.zoning, [])
        aid.save(update_fields=["zones"])


def zoning_from_zones(apps, schema_editor):
    Aid = apps.get_model("installations", "Aid")
    for aid in Aid.objects.all().iterator():
        zones = set(aid.zones)
        aid.zoning = next((k for k, v in ZONES_OF_ZONING.items() if set(v) == zones), "any")
        aid.save(update_fields=["zoning"])


class Migration(migrations.Migration):
    dependencies = [
        ("installations", "0006_follow_up_asked_professional"),
    ]

    operations = [
        migrations.AddField(
            model_name="aid",
            name="zones",
            field=models.JSONField(blank=True, default=list, verbose_name="zones ARS concernées"),
        ),
        migrations.RunPython(zones_from_zoning, zoning_from_zones),
        migrations.RemoveField(
            model_name="aid",
            name="zoning",
        ),
    ]
