"""The reference-data importers against bad files (issue 9): each one fails with a French message
naming what is wrong, a non-zero exit, and leaves the table as it was."""

import json
import os
import random
import subprocess
import sys
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from portal.enums import ArsZone
from portal.importing import MAX_SHOWN, Refusals, detect_encoding
from portal.models import Commune, CommuneZoning
from tests.portal.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

GOOD_ZONING = "insee_code;zone;decree_date\n50129;zac;2023-03-31\n50041;zip;31/03/2023\n"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_refused(*args):
    """Run a command expected to fail: (its error, stdout, stderr); the exit status would be 1."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=err)
    assert refused.value.returncode == 1
    return str(refused.value), out.getvalue(), err.getvalue()


def table():
    return list(
        Commune.objects.order_by("insee_code").values_list("insee_code", "name", "population", "departement")
    ) + list(CommuneZoning.objects.order_by("pk").values_list("commune_id", "profession", "zone", "decree_date"))


def doctors_zone(code):
    """(zone, decree date) of the commune in the doctors' zoning, None when not imported."""
    return (
        CommuneZoning.objects.filter(commune__insee_code=code, profession="doctors")
        .values_list("zone", "decree_date")
        .first()
    )


@pytest.fixture
def communes():
    for code, name in (("50129", "Cherbourg-en-Cotentin"), ("50041", "Brix"), ("50615", "Valognes")):
        CommuneFactory(insee_code=code, name=name, departement="50")
    return table()


# --- import_ars_zoning ---------------------------------------------------------------------------


def test_zoning_line_refused_among_good_ones_saves_nothing_and_names_the_line(communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(GOOD_ZONING + "7X001;zip;2023-03-31\n50615;zip;\n", encoding="utf-8")

    error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path))

    assert table() == communes
    # The model's own validator, with what the file held.
    assert err.strip() == (
        "Ligne 4 refusée : code INSEE : Un code INSEE de commune comporte 5 caractères (par exemple 50129) "
        "(reçu : « 7X001 »)."
    )
    assert error.startswith("3 ligne(s) valable(s), 1 refusée(s). Rien n'est enregistré")


def test_zoning_partial_saves_the_good_lines_but_still_exits_in_error(communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(GOOD_ZONING + "7X001;zip;2023-03-31\n", encoding="utf-8")

    error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path), "--partial")

    assert doctors_zone("50129")[0] == ArsZone.ZAC
    assert doctors_zone("50041")[0] == ArsZone.ZIP
    assert "Ligne 4 refusée" in err
    assert error == (
        "2 ligne(s) appliquée(s) (2 changement(s) de zonage), 1 refusée(s). Import partiel (--partial) : "
        "les lignes valables sont enregistrées, pas les lignes refusées."
    )


def test_zoning_comma_separated_file_is_refused_with_a_hint_about_the_separator(communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text(GOOD_ZONING.replace(";", ","), encoding="utf-8")

    error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path))

    assert table() == communes
    assert "Ligne 1 refusée : 1 colonne(s) au lieu de 3" in err
    assert "cette ligne semble séparée par des virgules" in err
    assert len(err.splitlines()) == 3
    assert error.startswith("0 ligne(s) valable(s), 3 refusée(s). Rien n'est enregistré")


@pytest.mark.parametrize(
    "content", [b"", b"\xef\xbb\xbf", b"insee_code;zone;decree_date\r\n# rien\r\n\r\n"], ids=["empty", "bom", "header"]
)
def test_zoning_file_without_any_line_is_refused(communes, tmp_path, content):
    path = tmp_path / "zonage.csv"
    path.write_bytes(content)

    error, _, _ = run_refused("import_ars_zoning", "--profession", "doctors", str(path))

    assert "ne contient aucune ligne de zonage" in error and "rien n'est importé" in error
    assert table() == communes


@pytest.mark.parametrize(
    ("encoding", "announced"),
    [("utf-16", "UTF-16 (reconnu à son BOM)"), ("utf-16-le", "UTF-16 (détecté, sans BOM)")],
)
def test_zoning_utf16_file_is_imported(communes, tmp_path, encoding, announced):
    path = tmp_path / "zonage.csv"
    text = "Code INSEE;Zonage;Date de l'arrêté\r\n50129;hors zonage;\r\n50041;ZAC;31/03/2023\r\n"
    path.write_bytes(text.encode(encoding))

    out, err = run("import_ars_zoning", "--profession", "doctors", str(path))

    assert err == ""
    assert f"zonage.csv lu en {announced}." in out
    assert "2 ligne(s) appliquée(s)" in out
    assert doctors_zone("50041")[0] == ArsZone.ZAC


def test_zoning_utf8_file_with_bom_is_imported_and_its_header_recognised(communes, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_bytes(("\ufeff" + GOOD_ZONING).encode("utf-8"))

    out, err = run("import_ars_zoning", "--profession", "doctors", str(path))

    assert err == ""
    assert "lu en UTF-8 (reconnu à son BOM)" in out
    assert "2 ligne(s) appliquée(s)" in out
    # Stated, the BOM is not taken for part of the header either.
    out, err = run("import_ars_zoning", "--profession", "doctors", str(path), "--encoding", "utf-8")
    assert err == ""
    assert "lu en utf-8 (indiqué par --encoding)" in out


def test_zoning_stated_encoding_is_used_and_an_unknown_one_refused(communes, tmp_path):
    path = tmp_path / "zonage.csv"
    # Latin-1 text that is also valid UTF-16 would be misread without the operator's word.
    path.write_bytes("insee_code;zone;decree_date\n50129;zip;2023-03-31\n".encode("latin-1"))

    out, _ = run("import_ars_zoning", "--profession", "doctors", str(path), "--encoding", "latin-1")
    assert "lu en latin-1 (indiqué par --encoding)" in out
    assert doctors_zone("50129")[0] == ArsZone.ZIP

    error, _, _ = run_refused("import_ars_zoning", "--profession", "doctors", str(path), "--encoding", "klingon")
    assert error == "Encodage inconnu : « klingon » (par exemple utf-8, utf-16, cp1252)."


def test_zoning_binary_file_is_refused_with_a_clear_message_and_no_traceback(communes, tmp_path):
    path = tmp_path / "zonage.xlsx"
    path.write_bytes(b"PK\x03\x04" + random.Random(9).randbytes(50_000))

    error, _, _ = run_refused("import_ars_zoning", "--profession", "doctors", str(path))
    assert error.startswith(f"{path} n'est pas un fichier texte (on dirait un classeur Excel ou une archive)")
    assert "rien n'est importé" in error
    assert table() == communes

    # What the operator sees at the terminal: the message, exit status 1, no traceback.
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "import_ars_zoning", "--profession", "doctors", str(path)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    assert "n'est pas un fichier texte" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_zoning_utf8_file_with_a_foreign_byte_far_down_is_refused_with_the_line(communes, tmp_path):
    path = tmp_path / "zonage.csv"
    # Past the sample read to detect the encoding: found while reading, and nothing is kept.
    lines = [f"50129;zac;2023-03-{day:02d}\n" for day in range(1, 2)] + ["# commentaire\n"] * 10_000
    path.write_bytes("".join(lines).encode() + b"50041;zip;caf\xe9\n")

    error, _, _ = run_refused("import_ars_zoning", "--profession", "doctors", str(path))

    assert "octets illisibles en UTF-8 vers la ligne" in error
    assert "--encoding" in error
    assert table() == communes


def test_zoning_garbage_file_of_10_mb_prints_20_refusals_and_a_count_in_bounded_memory(communes, tmp_path):
    rng = random.Random(546_303)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789;,. éà'-"
    pool = "".join("".join(rng.choices(alphabet, k=rng.randint(5, 30))) + "\n" for _ in range(5000))
    path = tmp_path / "garbage.csv"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(10 * 1024 * 1024 // len(pool.encode()) + 1):
            handle.write(pool)
    # One overlong line too: cut, then refused like the others.
    with path.open("a", encoding="utf-8") as handle:
        handle.write("9" * 2_000_000 + ";zip\n")
    with path.open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)

    tracemalloc.start()
    try:
        error, _, err = run_refused("import_ars_zoning", "--profession", "doctors", str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    shown = err.splitlines()
    assert len(shown) == MAX_SHOWN + 1
    assert all(line.startswith("Ligne ") and " refusée : " in line for line in shown[:MAX_SHOWN])
    refused = int(error.split(" refusée(s)")[0].rsplit(" ", 1)[1])
    assert refused > 300_000
    assert shown[-1] == f"… et {refused - MAX_SHOWN} autre(s) refus non affiché(s)."
    assert refused <= lines
    assert table() == communes
    # Reading the lines into a list would take ~40 MB here; streamed, the peak is a few hundred kB.
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


# --- import_communes -----------------------------------------------------------------------------

CHERBOURG = {
    "code": "50129",
    "nom": "Cherbourg-en-Cotentin",
    "type": "commune-actuelle",
    "departement": "50",
    "codesPostaux": ["50100"],
    "population": 78258,
}
BRIX = {**CHERBOURG, "code": "50041", "nom": "Brix", "codesPostaux": ["50700"], "population": 2264}


def write_source(folder: Path, *bad_entries: dict) -> Path:
    entries = [CHERBOURG, *bad_entries, BRIX]
    (folder / "communes.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    members = [{"code": entry["code"]} for entry in entries if "code" in entry]
    epcis = [{"code": "200067205", "nom": "CA du Cotentin", "membres": members}]
    (folder / "epci.json").write_text(json.dumps(epcis), encoding="utf-8")
    return folder


@pytest.fixture
def cotentin(db):
    return TerritoryFactory(slug="cotentin")


def import_departement(folder, *extra):
    return run_refused(
        "import_communes", "--territory", "cotentin", "--departement", "50", "--source", str(folder), *extra
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {**CHERBOURG, "code": "7X001", "nom": "Mauvaise"},
            "Entrée n° 2 de communes.json (code INSEE « 7X001 ») refusée : code INSEE : Un code INSEE de commune "
            "comporte 5 caractères (par exemple 50129).",
        ),
        (
            {key: value for key, value in {**CHERBOURG, "code": "50615"}.items() if key != "nom"},
            "Entrée n° 2 de communes.json (code INSEE « 50615 ») refusée : nom : Ce champ ne peut pas être vide.",
        ),
        (
            {**CHERBOURG, "code": "50615", "population": "beaucoup"},
            "Entrée n° 2 de communes.json (code INSEE « 50615 ») refusée : population : "
            "La valeur «\xa0beaucoup\xa0» doit être un nombre entier.",
        ),
        (
            {**CHERBOURG, "code": "506150"},
            "Entrée n° 2 de communes.json (code INSEE « 506150 ») refusée : code INSEE : "
            "Un code INSEE de commune comporte 5 caractères (par exemple 50129). "
            "Assurez-vous que cette valeur comporte au plus 5 caractères (actuellement 6).",
        ),
    ],
    ids=["malformed-code", "missing-name", "non-numeric-population", "six-character-code"],
)
def test_communes_bad_entry_saves_nothing_and_names_the_entry(cotentin, tmp_path, entry, message):
    before = table()

    error, _, err = import_departement(write_source(tmp_path, entry))

    assert err.strip() == message
    assert error.startswith("2 commune(s) valable(s). 1 entrée(s) refusée(s). Rien n'est enregistré")
    assert table() == before == []
    assert not cotentin.communes.exists()


def test_communes_partial_saves_the_valid_entries_and_still_exits_in_error(cotentin, tmp_path):
    folder = write_source(tmp_path, {**CHERBOURG, "code": "7X001"}, {**CHERBOURG, "population": -3})

    error, _, err = import_departement(folder, "--partial")

    assert [line.split(" refusée")[0] for line in err.splitlines()] == [
        "Entrée n° 2 de communes.json (code INSEE « 7X001 »)",
        "Entrée n° 3 de communes.json (code INSEE « 50129 »)",
    ]
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0" in err
    assert error.startswith("2 communes importées (2 créées, 0 mises à jour)")
    assert "2 entrée(s) refusée(s). Import partiel (--partial)" in error
    assert sorted(cotentin.communes.values_list("insee_code", flat=True)) == ["50041", "50129"]


def test_communes_duplicate_code_is_refused_rather_than_failing_in_the_database(cotentin, tmp_path):
    error, _, err = import_departement(write_source(tmp_path, {**CHERBOURG, "nom": "Doublon"}))

    assert (
        "Entrée n° 2 de communes.json (code INSEE « 50129 ») refusée : le code 50129 figure déjà à l'entrée n° 1"
    ) in err
    assert table() == []


def test_communes_source_with_a_bom_is_read(cotentin, tmp_path):
    folder = write_source(tmp_path)
    path = folder / "communes.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    out, _ = run("import_communes", "--territory", "cotentin", "--departement", "50", "--source", str(folder))

    assert "2 communes importées" in out


def test_communes_binary_source_is_refused_with_a_clear_message(cotentin, tmp_path):
    folder = write_source(tmp_path)
    (folder / "communes.json").write_bytes(bytes(range(256)) * 100)

    error, _, _ = import_departement(folder)

    assert error.startswith(f"{folder / 'communes.json'} n'est pas un fichier texte : rien n'est importé.")
    assert "JSON du paquet decoupage-administratif" in error
    assert table() == []


def test_communes_of_an_epci_absent_from_the_source_is_an_error(cotentin, tmp_path):
    folder = write_source(tmp_path)
    (folder / "epci.json").write_text(json.dumps([{"code": "200067205", "membres": [{"code": "50999"}]}]))

    error, _, _ = run_refused(
        "import_communes", "--territory", "cotentin", "--epci", "200067205", "--source", str(folder)
    )

    assert error == "Aucune commune de l'EPCI 200067205 dans communes.json : rien n'est importé."


# --- the shared machinery ------------------------------------------------------------------------


def test_refusals_keep_the_first_ones_by_position_and_count_the_rest():
    refusals = Refusals(limit=3)
    for position in (5, 1, 9, 2, 7, 3):
        refusals.add(position, f"Ligne {position}", "mauvaise")

    assert refusals.count == 6
    assert refusals.lines() == [
        "Ligne 1 refusée : mauvaise.",
        "Ligne 2 refusée : mauvaise.",
        "Ligne 3 refusée : mauvaise.",
        "… et 3 autre(s) refus non affiché(s).",
    ]


@pytest.mark.parametrize(
    ("raw", "codec"),
    [
        ("é;1\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "é;1\n".encode(), "utf-8-sig"),
        ("é;1\n".encode("utf-16"), "utf-16"),
        ("é;1\n".encode("utf-16-be"), "utf-16-be"),
        ("é;1\n".encode("utf-32"), "utf-32"),
        ("é;1\n".encode("cp1252"), "cp1252"),
        # A sample cut inside a two-byte character is still UTF-8.
        (("a" * 9 + "é").encode()[:10], "utf-8"),
    ],
)
def test_encoding_detection(raw, codec):
    complete = not raw.endswith(b"\xc3")
    assert detect_encoding(Path("f.csv"), raw, complete=complete).codec == codec


def test_binary_detection_refuses_control_bytes_without_zeros():
    with pytest.raises(CommandError, match="n'est pas un fichier texte"):
        detect_encoding(Path("f.bin"), bytes(range(1, 32)) * 10, complete=True)
