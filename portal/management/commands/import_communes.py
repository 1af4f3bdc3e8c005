"""Import the communes of an EPCI or a département and attach them to a territory.

Source: the open data package `@etalab/decoupage-administratif` (its `data/communes.json` and
`data/epci.json`). By default the small extract shipped in `portal/data/decoupage/` is read, so
the demo and the tests never need the network; `--source` points at a full unpacked package.

    python manage.py import_communes --territory cotentin --epci 200067205
    python manage.py import_communes --territory deux-sevres --departement 79 --source /tmp/etalab/package/data

`--write-extract` regenerates the shipped extract from a full package (see portal/data/decoupage/SOURCE.md).

The import is idempotent and costs a constant number of queries whatever the number of communes:
one upsert (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike) and one insert of the
missing territory links. It never touches the ARS zoning (see import_ars_zoning).

Every selected entry goes through the model's validators first. All or nothing: a refused entry is
reported with its position in communes.json and its INSEE code (the first 20, then how many more),
nothing is saved and the command fails; `--partial` saves the valid entries and still fails.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import importing
from portal.models import Commune, Territory

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "data" / "decoupage"

# What the shipped extract holds: the demo territories (see portal/demo.py).
EXTRACT_EPCIS = ("200067205", "200096956")  # CA du Cotentin, CA Agglomération d'Agen
EXTRACT_DEPARTEMENTS = ("79",)  # Deux-Sèvres

# The package also lists former communes (commune-deleguee, commune-associee) that reuse the code
# of the current one, and Paris/Lyon/Marseille districts: only current communes are kept.
CURRENT_COMMUNE = "commune-actuelle"
# Each current commune entry carries its position in communes.json under this key, for the messages
# (never written back: the extract writer names the keys it keeps).
POSITION = "_position"
COMMUNE_FIELDS = ["insee_code", "name", "postcodes", "departement", "epci_siren", "population"]

SIREN_RE = re.compile(r"^\d{9}$")
DEPARTEMENT_RE = re.compile(r"^(\d{2}|2A|2B|97\d)$")


@dataclass
class ImportResult:
    territory: Territory
    imported: int
    created: int
    linked: int
    missing_members: list[str]
    refusals: importing.Refusals
    saved: bool

    @property
    def updated(self) -> int:
        return self.imported - self.created


def _read_json(path: Path, encoding: str | None = None):
    if not path.is_file():
        raise CommandError(
            f"Fichier introuvable : {path}. Indiquez avec --source le dossier de communes.json et epci.json."
        )
    with importing.open_text(path, encoding=encoding, expected="JSON du paquet decoupage-administratif") as source:
        try:
            return json.load(source.handle)
        except json.JSONDecodeError as error:
            raise CommandError(f"Fichier illisible : {path} ({error}).") from error


def load_source(source: Path | str | None = None, *, encoding: str | None = None) -> tuple[list[dict], list[dict]]:
    """The current communes (with their position in communes.json) and the EPCI entries of a
    decoupage-administratif data folder."""
    folder = Path(source) if source else DEFAULT_SOURCE
    communes = _read_json(folder / "communes.json", encoding)
    epcis = _read_json(folder / "epci.json", encoding)
    if not isinstance(communes, list) or not isinstance(epcis, list):
        raise CommandError(f"Format inattendu dans {folder} : communes.json et epci.json doivent contenir des listes.")
    current = []
    for position, entry in enumerate(communes, start=1):
        if isinstance(entry, dict) and entry.get("type") == CURRENT_COMMUNE:
            entry[POSITION] = position
            current.append(entry)
    return current, [e for e in epcis if isinstance(e, dict)]


def _epci_by_member(epcis: list[dict]) -> dict[str, str]:
    return {
        str(member.get("code")): epci["code"]
        for epci in epcis
        if isinstance(epci.get("code"), str)
        for member in epci.get("membres") or []
        if isinstance(member, dict)
    }


def select_communes(
    communes: list[dict], epcis: list[dict], *, epci: str | None = None, departement: str | None = None
) -> tuple[list[dict], list[str]]:
    """The communes of one EPCI or one département, and the EPCI members absent from communes.json."""
    if epci:
        if not SIREN_RE.match(epci):
            raise CommandError(f"Le SIREN d'un EPCI comporte 9 chiffres (reçu : « {epci} »).")
        entry = next((e for e in epcis if e.get("code") == epci), None)
        if entry is None:
            raise CommandError(f"EPCI inconnu : aucun EPCI de SIREN {epci} dans epci.json.")
        wanted = [str(member.get("code")) for member in entry.get("membres") or [] if isinstance(member, dict)]
        by_code = {c["code"]: c for c in communes if isinstance(c.get("code"), str)}
        selected = [by_code[code] for code in wanted if code in by_code]
        if not selected:
            raise CommandError(f"Aucune commune de l'EPCI {epci} dans communes.json : rien n'est importé.")
        return selected, [code for code in wanted if code not in by_code]
    departement = (departement or "").upper()
    if not DEPARTEMENT_RE.match(departement):
        raise CommandError(f"Code de département invalide : « {departement} » (par exemple 79, 2A ou 971).")
    selected = [c for c in communes if c.get("departement") == departement]
    if not selected:
        raise CommandError(f"Aucune commune pour le département {departement} dans communes.json.")
    return selected, []


def _commune_of(entry: dict, epci_of: dict[str, str]) -> tuple[Commune, str | None]:
    """The unsaved commune of an entry, and why it is refused (None: valid), by the model's validators."""
    code = entry.get("code")
    code = "" if code is None else str(code)
    postcodes = entry.get("codesPostaux") or []
    commune = Commune(
        insee_code=code,
        name=entry.get("nom") or "",
        postcodes=postcodes,
        departement=entry.get("departement") or "",
        epci_siren=epci_of.get(code, "") or "",
        population=entry.get("population"),
    )
    errors = importing.field_errors(commune, COMMUNE_FIELDS)
    if not isinstance(postcodes, list) or not all(isinstance(p, str) for p in postcodes):
        errors = " ".join(filter(None, [errors, "codes postaux : une liste de codes est attendue"]))
    return commune, errors


def communes_import(
    *,
    territory: Territory,
    epci: str | None = None,
    departement: str | None = None,
    source=None,
    partial: bool = False,
    encoding: str | None = None,
) -> ImportResult:
    """Create or update the communes of an EPCI or a département and attach them to `territory`.

    All or nothing: with any refused entry nothing is saved, unless `partial`."""
    communes, epcis = load_source(source, encoding=encoding)
    selected, missing = select_communes(communes, epcis, epci=epci, departement=departement)
    epci_of = _epci_by_member(epcis)

    refusals = importing.Refusals()
    valid: list[Commune] = []
    seen: dict[str, int] = {}
    for entry in selected:
        position = entry[POSITION]
        commune, errors = _commune_of(entry, epci_of)
        code = entry.get("code")
        label = f"code INSEE « {importing.shorten(str(code))} »" if code else "sans code INSEE"
        where = f"Entrée n° {position} de communes.json ({label})"
        if errors:
            refusals.add(position, where, errors)
        elif commune.insee_code in seen:
            refusals.add(
                position, where, f"le code {commune.insee_code} figure déjà à l'entrée n° {seen[commune.insee_code]}"
            )
        else:
            seen[commune.insee_code] = position
            commune.postcodes = sorted(commune.postcodes)
            valid.append(commune)
    codes = [c.insee_code for c in valid]

    with importing.all_or_nothing(refusals, partial=partial):
        existing = set(Commune.objects.filter(insee_code__in=codes).values_list("insee_code", flat=True))
        Commune.objects.bulk_create(
            valid,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=["name", "postcodes", "departement", "epci_siren", "population"],
        )

        # Row ids are read back rather than taken from bulk_create: not every backend returns them
        # on an upsert.
        ids = list(Commune.objects.filter(insee_code__in=codes).values_list("pk", flat=True))
        link = Territory.communes.through
        already = set(
            link.objects.filter(territory_id=territory.pk, commune_id__in=ids).values_list("commune_id", flat=True)
        )
        link.objects.bulk_create(
            [link(territory_id=territory.pk, commune_id=pk) for pk in ids if pk not in already], ignore_conflicts=True
        )
    return ImportResult(
        territory=territory,
        imported=len(codes),
        created=len(set(codes) - existing),
        linked=len(set(ids) - already),
        missing_members=missing,
        refusals=refusals,
        saved=partial or not refusals,
    )


def _dump_list(rows: list[dict]) -> str:
    # One entry per line: small diffs when the extract is regenerated from a newer package.
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows) + "\n]\n"


def write_extract(*, source, destination: Path = DEFAULT_SOURCE) -> tuple[int, int]:
    """Write the shipped extract (communes and EPCIs of the demo territories) from a full package."""
    communes, epcis = load_source(source)
    codes: set[str] = set()
    for siren in EXTRACT_EPCIS:
        codes.update(c["code"] for c in select_communes(communes, epcis, epci=siren)[0])
    for departement in EXTRACT_DEPARTEMENTS:
        codes.update(c["code"] for c in select_communes(communes, epcis, departement=departement)[0])
    kept_communes = [
        {
            "code": c["code"],
            "nom": c["nom"],
            "type": c["type"],
            "departement": c["departement"],
            "codesPostaux": c.get("codesPostaux", []),
            "population": c.get("population"),
        }
        for c in sorted(communes, key=lambda c: c["code"])
        if c["code"] in codes
    ]
    # Every EPCI with a member in the extract, so that a commune imported by département still
    # gets its EPCI's SIREN.
    kept_epcis = [
        {
            "code": e["code"],
            "nom": e["nom"],
            "type": e.get("type", ""),
            "membres": [{"code": m["code"]} for m in e["membres"]],
        }
        for e in sorted(epcis, key=lambda e: e["code"])
        if any(m["code"] in codes for m in e.get("membres", []))
    ]
    destination.mkdir(parents=True, exist_ok=True)
    (destination / "communes.json").write_text(_dump_list(kept_communes), encoding="utf-8")
    (destination / "epci.json").write_text(_dump_list(kept_epcis), encoding="utf-8")
    return len(kept_communes), len(kept_epcis)


class Command(BaseCommand):
    help = (
        "Importe les communes d'un EPCI ou d'un département (données @etalab/decoupage-administratif) "
        "et les rattache à un territoire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", help="Identifiant d'adresse (slug) du territoire, par exemple cotentin.")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--epci", help="SIREN de l'EPCI dont on importe les communes membres (9 chiffres).")
        scope.add_argument("--departement", help="Code du département dont on importe les communes (par exemple 79).")
        parser.add_argument(
            "--source",
            help=f"Dossier contenant communes.json et epci.json (par défaut l'extrait livré : {DEFAULT_SOURCE}).",
        )
        parser.add_argument(
            "--write-extract",
            action="store_true",
            help="Régénère l'extrait livré (portal/data/decoupage/) à partir du paquet complet indiqué par --source.",
        )
        importing.add_arguments(parser, unit="entrée")

    def handle(self, *args, **options):
        if options["write_extract"]:
            if not options["source"]:
                raise CommandError("--write-extract lit le paquet complet : indiquez son dossier data/ avec --source.")
            n_communes, n_epcis = write_extract(source=options["source"])
            self.stdout.write(
                self.style.SUCCESS(f"Extrait écrit dans {DEFAULT_SOURCE} : {n_communes} communes, {n_epcis} EPCI.")
            )
            return

        slug = options["territory"]
        if not slug:
            raise CommandError("Indiquez le territoire avec --territory <slug>.")
        if not options["epci"] and not options["departement"]:
            raise CommandError("Indiquez ce qu'il faut importer : --epci <SIREN> ou --departement <code>.")
        territory = Territory.objects.filter(slug=slug).first()
        if territory is None:
            known = ", ".join(Territory.objects.order_by("slug").values_list("slug", flat=True)) or "aucun"
            raise CommandError(f"Territoire inconnu : « {slug} ». Territoires existants : {known}.")

        result = communes_import(
            territory=territory,
            epci=options["epci"],
            departement=options["departement"],
            source=options["source"],
            partial=options["partial"],
            encoding=options["encoding"],
        )
        for code in result.missing_members:
            self.stderr.write(self.style.WARNING(f"Commune membre {code} absente de communes.json : ignorée."))
        summary = (
            f"{result.imported} communes importées ({result.created} créées, {result.updated} mises à jour) ; "
            f"{result.linked} nouvellement rattachées au territoire « {territory.name} »."
            if result.saved
            else f"{result.imported} commune(s) valable(s)."
        )
        if result.refusals:
            summary += f" {len(result.refusals)} entrée(s) refusée(s)."
        importing.finish(self, result.refusals, summary=summary, unit="entrée", partial=options["partial"])
