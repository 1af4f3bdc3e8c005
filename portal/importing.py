"""What the reference-data importers (import_communes, import_ars_zoning) share.

- `open_text`: opens a file as text in the encoding stated with `--encoding` or detected from its
  first bytes (UTF-8 with or without BOM, UTF-16/32 by their BOM, UTF-16 without BOM by its zero
  bytes, Windows-1252 as the spreadsheets' fallback), refuses binary files with a French message,
  and streams its lines: no line is held longer than MAX_LINE characters, so a huge file costs the
  same memory as a small one.
- `Refusals`: the refused lines or entries; keeps the first MAX_SHOWN (by position) to show and only
  counts the others, so a file of garbage prints a bounded report.
- `all_or_nothing`: the one transaction around an import, rolled back when anything was refused
  (unless `--partial`) or on a dry run.
- `field_errors`: the model's own field validators, applied to an unsaved instance.
- `add_arguments` / `finish`: the common options and the common end of the commands (refusals on
  stderr, a non-zero exit when anything was refused).

Messages are plain French strings, like the rest of the management commands: they are read by the
operators who run them, never shown in the product.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

MAX_SHOWN = 20
# The first bytes read to detect the encoding and tell text from binary.
SAMPLE_SIZE = 64 * 1024
# A longer line is cut there (the cut line is then refused): one line never fills the memory.
MAX_LINE = 10_000
# Beyond this share of control characters in the sample, the file is not text.
MAX_CONTROL_SHARE = 0.01

BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
TEXT_CONTROLS = frozenset("\t\n\r\f\v")
NEWLINES = ("\n", "\r")


def shorten(value: str, width: int = 40) -> str:
    """A value quoted in a message: never a whole garbage line."""
    value = value.strip()
    return value if len(value) <= width else value[: width - 1] + "…"


# --- encoding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    codec: str  # given to open()
    label: str  # what the operator reads
    how: str  # how it was chosen

    def describe(self, path: Path) -> str:
        return f"{path.name} lu en {self.label} ({self.how})."


def _decodes(sample: bytes, codec: str, *, complete: bool) -> str | None:
    # Incremental: a sample cut in the middle of a character is not an error unless it is the whole file.
    try:
        return codecs.getincrementaldecoder(codec)().decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(sample: bytes) -> str | None:
    # Text in UTF-16 has a zero byte beside every ASCII character, always on the same side.
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    if zeros_odd >= 0.3 * pairs and zeros_even == 0:
        return "utf-16-le"
    if zeros_even >= 0.3 * pairs and zeros_odd == 0:
        return "utf-16-be"
    return None


def _binary_refusal(path: Path, sample: bytes, expected: str) -> CommandError:
    kind = ""
    if sample.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        kind = " (on dirait un classeur Excel ou une archive)"
    return CommandError(
        f"{path} n'est pas un fichier texte{kind} : rien n'est importé. Le fichier attendu est du {expected} ; "
        "si c'est bien du texte, indiquez son encodage avec --encoding (par exemple --encoding utf-16)."
    )


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for char in text if (char < " " or char == "\x7f") and char not in TEXT_CONTROLS)
    return controls > MAX_CONTROL_SHARE * max(len(text), 1)


def detect_encoding(
    path: Path, sample: bytes, *, complete: bool, stated: str | None = None, expected: str = "texte"
) -> Encoding:
    """The encoding of a file whose first bytes are `sample` (`complete`: the sample is the whole file;
    `expected`: the format the operator should save the file in, for the message about binary files).

    Raises CommandError for an unknown stated encoding, a file that does not decode, or binary data."""
    if stated:
        try:
            codec = codecs.lookup(stated).name
        except LookupError as error:
            raise CommandError(
                f"Encodage inconnu : « {shorten(stated)} » (par exemple utf-8, utf-16, cp1252)."
            ) from error
        if codec == "utf-8" and sample.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        encoding = Encoding(codec, stated, "indiqué par --encoding")
    else:
        encoding = next(
            (Encoding(codec, label, "reconnu à son BOM") for bom, codec, label in BOMS if sample.startswith(bom)),
            None,
        ) or _guess_without_bom(sample, complete=complete)
    text = _decodes(sample, encoding.codec, complete=complete)
    if text is None:
        if not stated and _looks_binary(sample.decode("latin-1")):
            raise _binary_refusal(path, sample, expected)
        raise CommandError(
            f"{path} n'est pas lisible en {encoding.label} : rien n'est importé. "
            "Indiquez son encodage avec --encoding (par exemple utf-8, utf-16 ou cp1252)."
        )
    if _looks_binary(text):
        raise _binary_refusal(path, sample, expected)
    return encoding


def _guess_without_bom(sample: bytes, *, complete: bool) -> Encoding:
    if utf16 := _utf16_without_bom(sample):
        return Encoding(utf16, "UTF-16", "détecté, sans BOM")
    if _decodes(sample, "utf-8", complete=complete) is not None:
        return Encoding("utf-8", "UTF-8", "détecté")
    # What French spreadsheets save when asked for plain "CSV".
    return Encoding("cp1252", "Windows-1252", "ce n'est pas de l'UTF-8 ; si les accents sont faux, précisez --encoding")


def _lines(handle: TextIO, path: Path, encoding: Encoding) -> Iterator[str]:
    number = 0
    try:
        while line := handle.readline(MAX_LINE):
            if number == 0:
                line = line.removeprefix("\ufeff")  # a BOM left by a stated encoding
            number += 1
            if len(line) == MAX_LINE and not line.endswith(NEWLINES):
                # Skip the rest of an overlong line: it is cut here, and refused for what is left.
                rest = line
                while len(rest) == MAX_LINE and not rest.endswith(NEWLINES):
                    rest = handle.readline(MAX_LINE)
                line += "\n"
            yield line
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path} : octets illisibles en {encoding.label} vers la ligne {number + 1} : rien n'est importé. "
            "Le fichier mélange-t-il deux encodages ? Indiquez le bon avec --encoding."
        ) from error


@dataclass
class TextSource:
    path: Path
    encoding: Encoding
    lines: Iterator[str]  # each line with its line ending, as csv.reader wants them
    handle: TextIO  # for a reader of the whole document (json.load)


@contextlib.contextmanager
def open_text(path: Path | str, *, encoding: str | None = None, expected: str = "texte") -> Iterator[TextSource]:
    """The file at `path` as text, in the stated or detected encoding, streamed line by line."""
    path = Path(path)
    try:
        with path.open("rb") as raw:
            sample = raw.read(SAMPLE_SIZE + 1)
        detected = detect_encoding(
            path, sample[:SAMPLE_SIZE], complete=len(sample) <= SAMPLE_SIZE, stated=encoding, expected=expected
        )
        handle = path.open(encoding=detected.codec, newline="")
    except FileNotFoundError as error:
        raise CommandError(f"Fichier introuvable : {path}.") from error
    except IsADirectoryError as error:
        raise CommandError(f"{path} est un dossier, pas un fichier.") from error
    except OSError as error:
        raise CommandError(f"Fichier illisible : {path} ({error.strerror or error}).") from error
    with handle:
        yield TextSource(path=path, encoding=detected, lines=_lines(handle, path, detected), handle=handle)


# --- refusals ---------------------------------------------------------------------------------


class Refusals:
    """Refused lines or entries: the first `limit` by position are kept to show, the others counted."""

    def __init__(self, limit: int = MAX_SHOWN) -> None:
        self.limit = limit
        self.count = 0
        self._shown: list[tuple[int, str]] = []

    def add(self, position: int, where: str, reason: str) -> None:
        self.count += 1
        if len(self._shown) == self.limit and position >= self._shown[-1][0]:
            return
        bisect.insort(self._shown, (position, f"{where} refusée : {reason}."))
        del self._shown[self.limit :]

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    def lines(self) -> list[str]:
        shown = [message for _, message in self._shown]
        if self.count > len(shown):
            shown.append(f"… et {self.count - len(shown)} autre(s) refus non affiché(s).")
        return shown


# --- validation and transaction ---------------------------------------------------------------


def field_errors(instance: models.Model, fields: Iterable[str]) -> str | None:
    """The model's validators on `fields` of an unsaved instance, as one French sentence (None: valid).

    Valid values are left converted on the instance (a population given as "12" becomes 12)."""
    fields = set(fields)
    try:
        instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in fields])
    except ValidationError as error:
        labels = {f.name: f.verbose_name for f in instance._meta.fields}
        parts = []
        for name, messages in error.message_dict.items():
            label = labels.get(name, name)
            parts.append(f"{label} : " + " ".join(message.rstrip(".") + "." for message in messages))
        return " ".join(parts).rstrip(".")
    return None


@contextlib.contextmanager
def all_or_nothing(refusals: Refusals, *, partial: bool = False, dry_run: bool = False) -> Iterator[None]:
    """One transaction around an import: nothing stays of a dry run, nor of a file with a refused line
    unless `partial` (then the valid lines stay). An exception rolls everything back, as usual."""
    with transaction.atomic():
        yield
        if dry_run or (refusals and not partial):
            transaction.set_rollback(True)


# --- the commands' options and ending ---------------------------------------------------------


def add_arguments(parser: CommandParser, *, unit: str) -> None:
    parser.add_argument(
        "--partial",
        action="store_true",
        help=(
            f"Enregistre les {unit}s valables même si d'autres sont refusées (par défaut, une seule {unit} "
            "refusée et rien n'est enregistré). La commande finit quand même en erreur."
        ),
    )
    parser.add_argument(
        "--encoding",
        help="Encodage du fichier (utf-8, utf-16, cp1252…) ; par défaut il est détecté.",
    )


def finish(
    command: BaseCommand,
    refusals: Refusals,
    *,
    summary: str,
    unit: str,
    partial: bool = False,
    dry_run: bool = False,
) -> None:
    """Report the refusals and end: success only when nothing was refused, else CommandError (exit 1)
    with `summary` (which gives the counts) and what was saved.

    With --partial the command fails too: the valid part is saved as asked, but the file still needs
    fixing, and a script or a scheduler must not take the run for a clean one."""
    for line in refusals.lines():
        command.stderr.write(command.style.WARNING(line))
    if not refusals:
        command.stdout.write(command.style.SUCCESS(summary))
        return
    if dry_run:
        outcome = "Simulation : rien n'est enregistré."
    elif partial:
        outcome = f"Import partiel (--partial) : les {unit}s valables sont enregistrées, pas les {unit}s refusées."
    else:
        outcome = (
            f"Rien n'est enregistré : corrigez le fichier et relancez, ou ajoutez --partial pour enregistrer "
            f"seulement les {unit}s valables."
        )
    raise CommandError(f"{summary} {outcome}")
