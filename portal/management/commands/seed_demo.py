"""Load the demo: three territories, their communes and zoning, their actors and demo accounts.

Idempotent: running it again changes nothing. Axis apps add their own data through the
`demo_data` hook described in portal/demo.py.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import demo


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (territoires, communes, acteurs, comptes de démo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise l'exécution sans DEBUG (base de démonstration servie avec les réglages de production).",
        )

    def handle(self, *args, **options):
        # The demo accounts share a password printed in the README: never on a real deployment by mistake.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo crée des comptes dont le mot de passe est public : il ne s'exécute qu'avec DEBUG "
                "activé (démo locale). Ajoutez --force si cette base est bien une base de démonstration."
            )
        territories = demo.build()
        for territory in territories.values():
            self.stdout.write(
                f"{territory.name} : {territory.communes.count()} communes, "
                f"{demo.Organisation.objects.for_territory(territory).count()} organisations."
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Comptes de démonstration (mot de passe commun : {demo.DEMO_PASSWORD}) :")
        )
        rows = [("E-mail", "Rôle", "Territoire")] + [
            (x.email, x.role_label, x.territory or "—") for x in territories.logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
