"""A commune's ARS zone becomes one row per profession's zoning; the former single zone was the doctors'.

Only zones that were imported move (a decree date, or a zone other than the default "hors zonage"):
a commune never imported stays "not known" rather than being read as "hors zonage"."""

import django.db.models.deletion
from django.db import migrations, models


def doctors_zoning_from_commune(apps, schema_editor):
    Commune = apps.get_model("portal", "Commune")
    CommuneZoning = apps.get_model("portal", "CommuneZoning")
    imported = Commune.objects.exclude(ars_zone="none", ars_zone_decree_date__isnull=True)
    CommuneZoning.objects.bulk_create(
        CommuneZoning(commune_id=pk, profession="doctors", zone=zone, decree_date=date)
        for pk, zone, date in imported.values_list("pk", "ars_zone", "ars_zone_decree_date").iterator()
    )


def commune_from_doctors_zoning(apps, schema_editor):
    Commune = apps.get_model("portal", "Commune")
    CommuneZoning = apps.get_model("portal", "CommuneZoning")
    for row in CommuneZoning.objects.filter(profession="doctors").iterator():
        Commune.objects.filter(pk=row.commune_id).update(ars_zone=row.zone, ars_zone_decree_date=row.decree_date)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_training_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommuneZoning",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "profession",
                    models.CharField(
                        choices=[
                            ("doctors", "médecins"),
                            ("nurses", "infirmiers et infirmières"),
                            ("midwives", "sages-femmes"),
                            ("physiotherapists", "masseurs-kinésithérapeutes"),
                            ("speech_therapists", "orthophonistes"),
                            ("dentists", "chirurgiens-dentistes"),
                        ],
                        max_length=20,
                        verbose_name="profession",
                    ),
                ),
                (
                    "zone",
                    models.CharField(
                        choices=[
                            ("zip", "Zone d'intervention prioritaire (ZIP)"),
                            ("zac", "Zone d'action complémentaire (ZAC)"),
                            ("none", "Hors zonage"),
                            ("very_underserved", "Zone très sous-dotée"),
                            ("underserved", "Zone sous-dotée"),
                            ("intermediate", "Zone intermédiaire"),
                            ("well_served", "Zone très dotée"),
                            ("overserved", "Zone sur-dotée"),
                            ("not_priority", "Zone non prioritaire"),
                        ],
                        max_length=20,
                        verbose_name="zone",
                    ),
                ),
                ("decree_date", models.DateField(blank=True, null=True, verbose_name="date de l'arrêté de zonage")),
                (
                    "commune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="zonings",
                        to="portal.commune",
                        verbose_name="commune",
                    ),
                ),
            ],
            options={
                "verbose_name": "zonage ARS d'une commune",
                "verbose_name_plural": "zonages ARS des communes",
                "ordering": ["profession"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("commune", "profession"), name="portal_communezoning_one_per_profession"
                    )
                ],
            },
        ),
        migrations.RunPython(doctors_zoning_from_commune, commune_from_doctors_zoning),
        migrations.RemoveField(
            model_name="commune",
            name="ars_zone",
        ),
        migrations.RemoveField(
            model_name="commune",
            name="ars_zone_decree_date",
        ),
    ]
