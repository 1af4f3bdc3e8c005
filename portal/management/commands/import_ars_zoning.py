"""Apply one profession's ARS zoning of communes from a CSV file.

The ARS publishes a zoning per profession (doctors: ZIP / ZAC / hors zonage; nurses, midwives,
physiotherapists, speech therapists, dentists: très sous-dotée, sous-dotée, intermédiaire, très dotée,
sur-dotée or non prioritaire). `--profession` says which one the file holds. The file has one commune
per line, separated by semicolons (the French spreadsheet default):

    insee_code;zone;decree_date
    50129;zac;2023-03-31
    50041;ZIP;31/03/2023
    50615;hors zonage;

A header line, blank lines and lines starting with `#` are skipped. The zone is one of the
profession's categories, written as in the decree (`très sous-dotée`, `ZIP`, `hors zonage`…) or by
its code (`very_underserved`, `zip`, `none`…), in any case, with or without accents; the date of the
decree is YYYY-MM-DD or DD/MM/YYYY, or empty. A commune the file does not list keeps an unknown zone
for the profession: the portal then answers "we do not know yet", never "you could claim it".
The encoding is detected (UTF-8 with or without BOM, UTF-16, Windows-1252) or stated with
`--encoding`.

All or nothing: a refused line is reported with its number and the reason (the first 20, then how
many more), nothing is saved and the command fails; `--partial` saves the valid lines but still
fails, since the file needs fixing; `--dry-run` reports without saving.

    python manage.py import_ars_zoning --profession doctors portal/data/ars_zoning_demo.csv \
        [--dry-run] [--partial] [--encoding utf-16]
"""

from __future__ import annotations

import csv
import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import importing, public_cache
from portal.enums import ZONES_BY_PROFESSION, ArsZone, ZoningProfession
from portal.models import Commune, CommuneZoning

HEADER_NAMES = {"insee_code", "code_insee", "code insee", "insee", "code"}
# Written forms besides the code and the label (keys as _zone_key leaves them).
ZONE_ALIASES = {
    "hors zonage": ArsZone.NONE,
    "zone d intervention prioritaire": ArsZone.ZIP,
    "zone d action complementaire": ArsZone.ZAC,
    "non prioritaire": ArsZone.NOT_PRIORITY,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
EXPECTED_FORMAT = "CSV séparé par des points-virgules (« CSV UTF-8 » dans un tableur)"
# Lines looked up and saved together: memory stays flat whatever the size of the file.
BATCH_SIZE = 1000


@dataclass
class ZoningLine:
    number: int
    insee_code: str
    zone: str
    decree_date: datetime.date | None


@dataclass
class ZoningResult:
    refusals: importing.Refusals = field(default_factory=importing.Refusals)
    encoding: importing.Encoding | None = None
    read: int = 0  # data lines (not blank, comment or header)
    applied: int = 0  # valid lines, of a known commune
    changed: int = 0  # communes whose zoning they change
    saved: bool = False


def _zone_key(value: str) -> str:
    """Lower case, no accents, no plural, words separated by one space: "Très sous-dotées" → "tres sous dotee"."""
    text = unicodedata.normalize("NFKD", value.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[\s_'’()-]+", " ", text).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


_ZONE_KEYS: dict[str, ArsZone] = {
    **{_zone_key(zone.value): zone for zone in ArsZone},
    **{_zone_key(str(zone.label).removeprefix("Zone ")): zone for zone in ArsZone},
    **{_zone_key(str(zone.label)): zone for zone in ArsZone},
    **{_zone_key(alias): zone for alias, zone in ZONE_ALIASES.items()},
}


def _parse_zone(value: str, profession: str) -> str | None:
    zone = _ZONE_KEYS.get(_zone_key(value))
    return zone if zone in ZONES_BY_PROFESSION[profession] else None


def _expected_zones(profession: str) -> str:
    return ", ".join(str(zone.label).removeprefix("Zone ").lower() for zone in ZONES_BY_PROFESSION[profession])


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line number, cells, csv error): a line the csv module cannot read is reported, not fatal."""
    reader = csv.reader(lines, delimiter=";")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, None, str(error)
            continue
        yield reader.line_num, row, ""


def _parse_line(number: int, cells: list[str], profession: str) -> tuple[ZoningLine | None, str]:
    """The line, or why it is refused (the commune's existence is checked later)."""
    if len(cells) not in (2, 3):
        reason = f"{len(cells)} colonne(s) au lieu de 3 (code INSEE ; zone ; date de l'arrêté, séparés par « ; »)"
        if len(cells) == 1 and ("," in cells[0] or "\t" in cells[0]):
            reason += " : cette ligne semble séparée par des virgules ou des tabulations"
        return None, reason
    code, zone_text = cells[0].upper(), cells[1]
    date_text = cells[2] if len(cells) == 3 else ""
    zone = _parse_zone(zone_text, profession)
    if zone is None:
        label = ZoningProfession(profession).label
        return None, (
            f"zone inconnue du zonage des {label} « {importing.shorten(zone_text)} » "
            f"(attendu : {_expected_zones(profession)})"
        )
    try:
        decree_date = _parse_date(date_text) if date_text else None
    except ValueError:
        return None, f"date invalide « {importing.shorten(date_text)} » (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)"
    # The model's own validators, the same as in the admin.
    errors = importing.field_errors(Commune(insee_code=code), ["insee_code"]) or importing.field_errors(
        CommuneZoning(profession=profession, zone=zone, decree_date=decree_date), ["profession", "zone", "decree_date"]
    )
    if errors:
        return None, f"{errors} (reçu : « {importing.shorten(cells[0])} »)"
    return ZoningLine(number=number, insee_code=code, zone=zone, decree_date=decree_date), ""


def parse_zoning(lines: Iterable[str], result: ZoningResult, *, profession: str) -> Iterator[ZoningLine]:
    """The lines that parse, one at a time; refused lines go to `result.refusals`."""
    seen: dict[str, int] = {}
    for number, row, csv_error in _rows(lines):
        where = f"Ligne {number}"
        if row is None:
            result.read += 1
            result.refusals.add(number, where, f"ligne illisible ({csv_error})")
            continue
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#") or cells[0].lower() in HEADER_NAMES:
            continue
        result.read += 1
        line, reason = _parse_line(number, cells, profession)
        if line is None:
            result.refusals.add(number, where, reason)
            continue
        if line.insee_code in seen:
            result.refusals.add(
                number, where, f"la commune {line.insee_code} figure déjà à la ligne {seen[line.insee_code]}"
            )
            continue
        seen[line.insee_code] = number
        yield line


def _apply(batch: list[ZoningLine], result: ZoningResult, *, profession: str, dry_run: bool) -> None:
    communes = Commune.objects.in_bulk([line.insee_code for line in batch], field_name="insee_code")
    existing = {
        z.commune_id: z
        for z in CommuneZoning.objects.filter(commune__in=list(communes.values()), profession=profession)
    }
    changed, created = [], []
    for line in batch:
        commune = communes.get(line.insee_code)
        if commune is None:
            result.refusals.add(
                line.number,
                f"Ligne {line.number}",
                f"commune inconnue : aucun code INSEE {line.insee_code} (importez-la d'abord)",
            )
            continue
        result.applied += 1
        zoning = existing.get(commune.pk)
        if zoning is None:
            created.append(
                CommuneZoning(commune=commune, profession=profession, zone=line.zone, decree_date=line.decree_date)
            )
        elif (zoning.zone, zoning.decree_date) != (line.zone, line.decree_date):
            zoning.zone, zoning.decree_date = line.zone, line.decree_date
            changed.append(zoning)
    result.changed += len(changed) + len(created)
    if not dry_run:
        CommuneZoning.objects.bulk_update(changed, ["zone", "decree_date"])
        CommuneZoning.objects.bulk_create(created)
        public_cache.changed_everywhere()  # bulk writes send no signal


def ars_zoning_import(
    *,
    path: Path | str,
    profession: str,
    dry_run: bool = False,
    partial: bool = False,
    encoding: str | None = None,
) -> ZoningResult:
    """Set the zone in `profession`'s zoning (a `ZoningProfession`) of the communes listed in the CSV
    file at `path`, with the date of the decree.

    All or nothing: with any refused line nothing is saved, unless `partial`; `result.saved` says
    whether the valid lines were. Raises CommandError for a file that cannot be read or holds no line."""
    result = ZoningResult()
    with importing.open_text(path, encoding=encoding, expected=EXPECTED_FORMAT) as source:
        result.encoding = source.encoding
        with importing.all_or_nothing(result.refusals, partial=partial, dry_run=dry_run):
            parsed = parse_zoning(source.lines, result, profession=profession)
            while batch := list(itertools.islice(parsed, BATCH_SIZE)):
                _apply(batch, result, profession=profession, dry_run=dry_run)
    if not result.read:
        raise CommandError(
            f"{source.path} ne contient aucune ligne de zonage (fichier vide, ou seulement un en-tête et des "
            "commentaires) : rien n'est importé."
        )
    result.saved = not dry_run and (partial or not result.refusals)
    return result


class Command(BaseCommand):
    help = (
        "Applique le zonage ARS d'une profession (--profession) aux communes à partir d'un fichier CSV "
        "« code INSEE;zone;date ». Tout ou rien : une ligne refusée et rien n'est enregistré (sauf --partial)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profession",
            required=True,
            choices=ZoningProfession.values,
            help="Le zonage que contient le fichier : "
            + ", ".join(f"{p.value} ({p.label})" for p in ZoningProfession)
            + ".",
        )
        parser.add_argument("path", help="Fichier CSV séparé par des points-virgules : insee_code;zone;decree_date.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien enregistrer.")
        importing.add_arguments(parser, unit="ligne")

    def handle(self, *args, **options):
        result = ars_zoning_import(
            path=options["path"],
            profession=options["profession"],
            dry_run=options["dry_run"],
            partial=options["partial"],
            encoding=options["encoding"],
        )
        if result.encoding:
            self.stdout.write(result.encoding.describe(Path(options["path"])))
        refused = f"{len(result.refusals)} refusée(s)"
        if options["dry_run"] and not result.refusals:
            summary = f"Simulation, rien n'est enregistré : {result.applied} ligne(s) valable(s), {refused}."
        elif result.saved:
            summary = f"{result.applied} ligne(s) appliquée(s) ({result.changed} changement(s) de zonage), {refused}."
        else:
            summary = f"{result.applied} ligne(s) valable(s), {refused}."
        importing.finish(
            self, result.refusals, summary=summary, unit="ligne", partial=options["partial"], dry_run=options["dry_run"]
        )
