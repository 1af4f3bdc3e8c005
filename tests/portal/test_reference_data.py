"""Reference data: communes from the shipped decoupage-administratif extract, and the ARS zoning."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.enums import ArsZone
from portal.management.commands.import_communes import DEFAULT_SOURCE, write_extract
from portal.models import Commune, CommuneZoning
from tests.portal.factories import CommuneFactory, TerritoryFactory

CA_COTENTIN = "200067205"
CA_AGEN = "200096956"
CA_NIORTAIS = "200041317"

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def cotentin():
    return TerritoryFactory(slug="cotentin", name="Communauté d'agglomération du Cotentin")


@pytest.fixture
def deux_sevres():
    return TerritoryFactory(slug="deux-sevres", name="Département des Deux-Sèvres")


# --- import_communes -------------------------------------------------------------------------


def test_import_by_epci_creates_the_member_communes_and_links_them_to_the_territory(cotentin):
    out, _ = run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN)

    assert Commune.objects.count() == 129
    assert cotentin.communes.count() == 129
    cherbourg = Commune.objects.get(insee_code="50129")
    assert cherbourg.name == "Cherbourg-en-Cotentin"
    assert cherbourg.population == 78258
    assert cherbourg.postcodes == ["50100", "50110", "50120", "50130", "50460", "50470"]
    assert cherbourg.departement == "50"
    assert cherbourg.epci_siren == CA_COTENTIN
    assert "129 communes importées (129 créées, 0 mises à jour)" in out


def test_import_by_departement_takes_every_current_commune_with_its_epci(deux_sevres):
    run("import_communes", "--territory", "deux-sevres", "--departement", "79")

    assert deux_sevres.communes.count() == 252
    assert set(Commune.objects.values_list("departement", flat=True)) == {"79"}
    niort = Commune.objects.get(insee_code="79191")
    assert (niort.name, niort.postcodes, niort.epci_siren) == ("Niort", ["79000"], CA_NIORTAIS)
    assert not Commune.objects.filter(epci_siren="").exists()


def test_reimport_is_idempotent_restores_source_values_and_keeps_the_zoning(cotentin):
    run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN)
    Commune.objects.filter(insee_code="50129").update(population=1)
    CommuneZoning.objects.create(
        commune=Commune.objects.get(insee_code="50129"),
        profession="doctors",
        zone=ArsZone.ZIP,
        decree_date=datetime.date(2023, 3, 31),
    )

    out, _ = run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN)

    assert Commune.objects.count() == 129
    assert cotentin.communes.count() == 129
    cherbourg = Commune.objects.get(insee_code="50129")
    assert cherbourg.population == 78258
    assert doctors_zone("50129") == (ArsZone.ZIP, datetime.date(2023, 3, 31))
    assert "0 créées, 129 mises à jour" in out
    assert "0 nouvellement rattachées" in out


def test_a_commune_shared_by_two_territories_is_one_row_linked_to_both(cotentin, deux_sevres):
    agen = TerritoryFactory(slug="agen")
    run("import_communes", "--territory", "deux-sevres", "--departement", "79")
    run("import_communes", "--territory", "agen", "--epci", CA_AGEN)
    # The Deux-Sèvres département and one of its EPCIs cover the same communes.
    run("import_communes", "--territory", "cotentin", "--epci", CA_NIORTAIS)

    assert Commune.objects.count() == 252 + 44
    assert Commune.objects.get(insee_code="79191").territories.count() == 2
    assert agen.communes.count() == 44


@pytest.mark.parametrize(
    ("scope", "size"),
    [(("--epci", CA_AGEN), 44), (("--departement", "79"), 252)],
)
def test_import_runs_a_constant_number_of_queries_whatever_the_number_of_communes(
    cotentin, scope, size, django_assert_num_queries
):
    CommuneFactory(insee_code="79191")  # one update among the inserts
    # Territory lookup, savepoint, existing codes, upsert, ids, existing links, link insert, release.
    with django_assert_num_queries(8):
        run("import_communes", "--territory", "cotentin", *scope)
    assert cotentin.communes.count() == size


def test_unknown_territory_is_refused_in_french_with_the_known_slugs(cotentin):
    with pytest.raises(CommandError, match=r"Territoire inconnu : « nulle-part ». Territoires existants : cotentin\."):
        run("import_communes", "--territory", "nulle-part", "--epci", CA_COTENTIN)


def test_unknown_epci_is_refused_in_french(cotentin):
    with pytest.raises(CommandError, match="EPCI inconnu : aucun EPCI de SIREN 123456789"):
        run("import_communes", "--territory", "cotentin", "--epci", "123456789")
    with pytest.raises(CommandError, match="9 chiffres"):
        run("import_communes", "--territory", "cotentin", "--epci", "2000672")
    assert not Commune.objects.exists()


def test_departement_without_communes_is_refused_in_french(cotentin):
    with pytest.raises(CommandError, match="Aucune commune pour le département 01"):
        run("import_communes", "--territory", "cotentin", "--departement", "01")
    with pytest.raises(CommandError, match="Code de département invalide"):
        run("import_communes", "--territory", "cotentin", "--departement", "7")


def test_missing_scope_is_refused_in_french(cotentin):
    with pytest.raises(CommandError, match="--epci <SIREN> ou --departement <code>"):
        run("import_communes", "--territory", "cotentin")


def test_missing_or_unreadable_source_is_refused_in_french(cotentin, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable : .*communes.json"):
        run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN, "--source", str(tmp_path))

    (tmp_path / "communes.json").write_text("[{ pas du json", encoding="utf-8")
    (tmp_path / "epci.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="Fichier illisible : .*communes.json"):
        run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN, "--source", str(tmp_path))


def test_former_communes_sharing_the_code_of_a_current_one_are_ignored(cotentin, tmp_path):
    # The package lists delegated communes under the code of the commune they merged into.
    communes = [
        {"code": "50129", "nom": "Cherbourg-en-Cotentin", "type": "commune-actuelle", "departement": "50",
         "codesPostaux": ["50100"], "population": 78258},
        {"code": "50129", "nom": "Cherbourg-Octeville", "type": "commune-deleguee", "departement": "50"},
        {"code": "50173", "nom": "Équeurdreville-Hainneville", "type": "commune-deleguee", "departement": "50"},
    ]  # fmt: skip
    epcis = [{"code": CA_COTENTIN, "nom": "CA du Cotentin", "membres": [{"code": "50129"}, {"code": "50999"}]}]
    (tmp_path / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    (tmp_path / "epci.json").write_text(json.dumps(epcis), encoding="utf-8")

    _, err = run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN, "--source", str(tmp_path))

    assert list(Commune.objects.values_list("insee_code", "name")) == [("50129", "Cherbourg-en-Cotentin")]
    assert "Commune membre 50999 absente de communes.json" in err


def test_shipped_extract_is_exactly_what_the_extract_writer_produces(tmp_path):
    write_extract(source=DEFAULT_SOURCE, destination=tmp_path)

    for name in ("communes.json", "epci.json"):
        assert (tmp_path / name).read_bytes() == (DEFAULT_SOURCE / name).read_bytes()


# --- import_ars_zoning -----------------------------------------------------------------------


ZONING_CSV = """\
# fichier de test
insee_code;zone;decree_date
50129;ZAC;2023-03-31
50041;zip;31/03/2023
50615;hors zonage;
50082;zone rouge;2023-03-31
50402;zip;31/02/2023
99999;zip;2023-03-31

50129;zip;2023-03-31
50031;zip
50087
"""


@pytest.fixture
def cotentin_communes(cotentin):
    run("import_communes", "--territory", "cotentin", "--epci", CA_COTENTIN)
    CommuneZoning.objects.create(commune=Commune.objects.get(insee_code="50615"), profession="doctors", zone="zip")


def zoning_table():
    return list(
        CommuneZoning.objects.order_by("commune__insee_code", "profession").values_list(
            "commune__insee_code", "profession", "zone", "decree_date"
        )
    )


def doctors_zone(code):
    """(zone, decree date) of the commune in the doctors' zoning, None when not imported."""
    return (
        CommuneZoning.objects.filter(commune__insee_code=code, profession="doctors")
        .values_list("zone", "decree_date")
        .first()
    )


def run_refused(*args):
    """Run a command expected to fail: (its error, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=err)
    assert refused.value.returncode == 1
    return str(refused.value), out.getvalue(), err.getvalue()


def test_zoning_with_a_refused_line_saves_nothing_and_fails_naming_each_bad_line(cotentin_communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(ZONING_CSV, encoding="utf-8")
    before = zoning_table()

    error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path))

    assert zoning_table() == before
    assert "Ligne 6 refusée : zone inconnue du zonage des médecins « zone rouge »" in err
    assert "Ligne 7 refusée : date invalide « 31/02/2023 »" in err
    assert "Ligne 8 refusée : commune inconnue : aucun code INSEE 99999" in err
    assert "Ligne 10 refusée : la commune 50129 figure déjà à la ligne 3" in err
    assert "Ligne 12 refusée : 1 colonne(s) au lieu de 3" in err
    # In the order of the file, although unknown communes are found after the other refusals.
    assert [line.split(" refusée")[0] for line in err.splitlines()] == [f"Ligne {n}" for n in (6, 7, 8, 10, 12)]
    assert error == (
        "4 ligne(s) valable(s), 5 refusée(s). Rien n'est enregistré : corrigez le fichier et relancez, "
        "ou ajoutez --partial pour enregistrer seulement les lignes valables."
    )


def test_zoning_partial_applies_the_good_lines_and_still_fails(cotentin_communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(ZONING_CSV, encoding="utf-8")

    error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path), "--partial")

    zoning = dict(CommuneZoning.objects.filter(profession="doctors").values_list("commune__insee_code", "zone"))
    # The refused lines' communes (50082, 50402) stay "not known" for doctors.
    assert zoning == {"50129": "zac", "50041": "zip", "50615": "none", "50031": "zip"}
    assert doctors_zone("50041")[1] == datetime.date(2023, 3, 31)
    assert doctors_zone("50031")[1] is None
    assert "Ligne 6 refusée" in err
    assert error.startswith("4 ligne(s) appliquée(s) (4 changement(s) de zonage), 5 refusée(s). Import partiel")


def test_zoning_dry_run_reports_without_saving(cotentin_communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(ZONING_CSV, encoding="utf-8")
    before = zoning_table()

    error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path), "--dry-run")

    assert "Simulation : rien n'est enregistré" in error
    assert "Ligne 6 refusée" in err
    assert zoning_table() == before

    path.write_text("50129;zac;2023-03-31\n", encoding="utf-8")
    out, _ = run("import_ars_zoning", "--profession", "doctors", str(path), "--dry-run")
    assert "Simulation, rien n'est enregistré : 1 ligne(s) valable(s), 0 refusée(s)." in out
    assert zoning_table() == before


def test_zoning_reads_a_windows_spreadsheet_export(cotentin_communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_bytes("Code INSEE;Zonage;Date de l'arrêté\r\n50129;ZIP;01/04/2023\r\n".encode("cp1252"))

    out, _ = run("import_ars_zoning", "--profession", "doctors", str(path))

    assert "zonage.csv lu en Windows-1252 (ce n'est pas de l'UTF-8" in out
    assert "1 ligne(s) appliquée(s) (1 changement(s) de zonage), 0 refusée(s)." in out
    assert doctors_zone("50129")[0] == ArsZone.ZIP


def test_zoning_of_a_missing_file_is_refused_in_french(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("import_ars_zoning", "--profession", "doctors", str(tmp_path / "absent.csv"))


def test_each_profession_has_its_own_zoning_and_its_own_categories(cotentin_communes, tmp_path):
    path = tmp_path / "infirmiers.csv"
    path.write_text(
        "insee_code;zone;decree_date\n50129;Très sous-dotées;2023-03-31\n50041;intermediaire;\n", encoding="utf-8"
    )
    out, _ = run("import_ars_zoning", "--profession", "nurses", str(path))
    assert "2 ligne(s) appliquée(s) (2 changement(s) de zonage)" in out
    nurses = dict(CommuneZoning.objects.filter(profession="nurses").values_list("commune__insee_code", "zone"))
    assert nurses == {"50129": "very_underserved", "50041": "intermediate"}
    # The doctors' zoning of the same communes is untouched (50615 is the fixture's).
    assert set(CommuneZoning.objects.filter(profession="doctors").values_list("commune__insee_code", flat=True)) == {
        "50615"
    }

    path.write_text("50129;ZIP;2023-03-31\n", encoding="utf-8")
    error, _, err = run_refused("import_ars_zoning", "--profession", "nurses", str(path))
    assert "zone inconnue du zonage des infirmiers et infirmières « ZIP »" in err
    assert "(attendu : très sous-dotée, sous-dotée, intermédiaire, très dotée, sur-dotée)" in err


def test_zoning_needs_the_profession(cotentin_communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text("50129;zac;2023-03-31\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--profession"):
        call_command("import_ars_zoning", str(path))
