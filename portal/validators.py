from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_rpps(value: str) -> None:
    """An RPPS number has 11 digits, the last one being a Luhn check digit."""
    if not value.isdigit() or len(value) != 11:
        raise ValidationError(
            _("Le numéro RPPS comporte exactement 11 chiffres (vous en avez saisi %(count)s)."),
            code="rpps_length",
            params={"count": len(value)},
        )
    if not luhn_is_valid(value):
        raise ValidationError(
            _(
                "Ce numéro RPPS n'est pas valide : sa clé de contrôle (dernier chiffre) ne correspond pas. "
                "Vérifiez chaque chiffre."
            ),
            code="rpps_checksum",
        )


validate_insee_code = RegexValidator(
    r"^(\d{2}|2A|2B)\d{3}$", _("Un code INSEE de commune comporte 5 caractères (par exemple 50129).")
)
validate_finess = RegexValidator(r"^\d[\dAB]\d{7}$", _("Un numéro FINESS comporte 9 caractères."))
validate_siret = RegexValidator(r"^\d{14}$", _("Un numéro SIRET comporte 14 chiffres."))
validate_hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Indiquez une couleur au format hexadécimal, par exemple #1d4f91.")
)


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


def validate_brand_colour(value: str) -> None:
    """The brand colour is used behind white text: it needs the RGAA contrast of 4.5:1."""
    validate_hex_colour(value)
    ratio = contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            _(
                "Cette couleur est trop claire pour du texte blanc (contraste %(ratio)s:1, il faut au moins "
                "4,5:1). Choisissez une teinte plus foncée."
            ),
            code="brand_contrast",
            params={"ratio": f"{ratio:.1f}".replace(".", ",")},
        )


# First path segments used by the portal itself; a territory cannot take them as its slug.
RESERVED_SLUGS = {
    "admin",
    "comptes",
    "espace",
    "healthz",
    "static",
    "media",
    "api",
    # The national legal pages (portal.privacy).
    "mentions-legales",
    "donnees-personnelles",
    "accessibilite",
}


def validate_territory_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("« %(slug)s » est réservé par le portail : choisissez un autre identifiant."),
            code="reserved_slug",
            params={"slug": value},
        )


validate_domain = RegexValidator(
    r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Un nom de domaine s'écrit en minuscules, sans « https:// » ni chemin (par exemple sante.agglo-agen.fr)."),
)
