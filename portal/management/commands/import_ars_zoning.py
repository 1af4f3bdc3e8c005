"""Apply the ARS zoning of communes (ZIP / ZAC / hors zonage) from a CSV file.

The file has one commune per line, separated by semicolons (the French spreadsheet default):

    insee_code;zone;decree_date
    50129;zac;2023-03-31
    50041;ZIP;31/03/2023
    50615;hors zonage;

A header line, blank lines and lines starting with `#` are skipped. The zone is `zip`, `zac` or
`none` (also `hors zonage`), in any case; the date of the decree is YYYY-MM-DD or DD/MM/YYYY, or
empty. A refused line is reported with its number and the reason, and the valid lines are applied
all the same; `--dry-run` reports without saving.

    python manage.py import_ars_zoning portal/data/ars_zoning_demo.csv [--dry-run]
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.enums import ArsZone
from portal.models import Commune

HEADER_NAMES = {"insee_code", "code_insee", "code insee", "insee", "code"}
INSEE_RE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
ZONE_ALIASES = {
    "zip": ArsZone.ZIP,
    "zac": ArsZone.ZAC,
    "none": ArsZone.NONE,
    "hors zonage": ArsZone.NONE,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class ZoningLine:
    number: int
    insee_code: str
    zone: str
    decree_date: datetime.date | None


@dataclass
class ZoningResult:
    applied: list[ZoningLine] = field(default_factory=list)
    # (line number, French reason)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    # Spreadsheets save French CSV either as UTF-8 (often with a BOM) or as Windows-1252.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _parse_zone(value: str) -> str | None:
    key = re.sub(r"[\s_-]+", " ", value.strip().lower())
    return ZONE_ALIASES.get(key)


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_zoning(text: str) -> tuple[list[ZoningLine], list[tuple[int, str]]]:
    """Lines that parse, and refused lines with their reason (the commune is not checked here)."""
    lines: list[ZoningLine] = []
    rejected: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=";"), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if cells[0].lower() in HEADER_NAMES:
            continue
        if len(cells) not in (2, 3):
            rejected.append(
                (
                    number,
                    f"{len(cells)} colonne(s) au lieu de 3 (code INSEE ; zone ; date de l'arrêté, séparés par « ; »)",
                )
            )
            continue
        code, zone_text = cells[0].upper(), cells[1]
        date_text = cells[2] if len(cells) == 3 else ""
        if not INSEE_RE.match(code):
            rejected.append((number, f"code INSEE mal formé « {cells[0]} » (5 caractères, par exemple 50129)"))
            continue
        zone = _parse_zone(zone_text)
        if zone is None:
            rejected.append((number, f"zone inconnue « {zone_text} » (attendu : ZIP, ZAC ou hors zonage)"))
            continue
        try:
            decree_date = _parse_date(date_text) if date_text else None
        except ValueError:
            rejected.append((number, f"date invalide « {date_text} » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)"))
            continue
        if code in seen:
            rejected.append((number, f"la commune {code} figure déjà à la ligne {seen[code]}"))
            continue
        seen[code] = number
        lines.append(ZoningLine(number=number, insee_code=code, zone=zone, decree_date=decree_date))
    return lines, rejected


@transaction.atomic
def ars_zoning_import(*, path: Path | str, dry_run: bool = False) -> ZoningResult:
    """Set `ars_zone` and `ars_zone_decree_date` of the communes listed in the CSV file at `path`."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes())
    except FileNotFoundError as error:
        raise CommandError(f"Fichier introuvable : {path}.") from error
    except OSError as error:
        raise CommandError(f"Fichier illisible : {path} ({error}).") from error

    lines, rejected = parse_zoning(text)
    communes = Commune.objects.in_bulk([line.insee_code for line in lines], field_name="insee_code")
    result = ZoningResult()
    changed = []
    for line in lines:
        commune = communes.get(line.insee_code)
        if commune is None:
            rejected.append(
                (line.number, f"commune inconnue : aucun code INSEE {line.insee_code} (importez-la d'abord)")
            )
            continue
        result.applied.append(line)
        if (commune.ars_zone, commune.ars_zone_decree_date) != (line.zone, line.decree_date):
            commune.ars_zone, commune.ars_zone_decree_date = line.zone, line.decree_date
            changed.append(commune)
    result.rejected = sorted(rejected)
    if changed and not dry_run:
        Commune.objects.bulk_update(changed, ["ars_zone", "ars_zone_decree_date"])
    return result


class Command(BaseCommand):
    help = (
        "Applique le zonage ARS (ZIP, ZAC, hors zonage) des communes à partir d'un fichier CSV "
        "« code INSEE;zone;date »."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier CSV séparé par des points-virgules : insee_code;zone;decree_date.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer.")

    def handle(self, *args, **options):
        result = ars_zoning_import(path=options["path"], dry_run=options["dry_run"])
        for number, reason in result.rejected:
            self.stderr.write(self.style.WARNING(f"Ligne {number} refusée : {reason}."))
        if options["dry_run"]:
            summary = (
                f"Simulation, rien n'est enregistré : {len(result.applied)} ligne(s) valable(s), "
                f"{len(result.rejected)} refusée(s)."
            )
        else:
            summary = f"{len(result.applied)} ligne(s) appliquée(s), {len(result.rejected)} refusée(s)."
        self.stdout.write(self.style.SUCCESS(summary) if not result.rejected else summary)
