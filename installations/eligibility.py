"""Which of a territory's aids a professional could claim, and why: the verdicts the public aids page,
the applicant's case page and the coordinator's case page show (the portal informs, the funder
decides). Each profession is judged on its own ARS zoning; a zoning not imported yet answers "not
known yet", never a guess from another profession's."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from installations.models import Aid, Case
from portal.enums import ArsZone, Profession, zoning_profession
from portal.models import Commune, CommuneZoning, Territory


@dataclass
class AidEligibility:
    aid: Aid
    # True: the applicant could claim it; False: it does not apply; None: cannot be told yet (no
    # commune chosen, or the commune's zone in the profession's zoning is not known yet).
    eligible: bool | None
    reasons: list[str] = field(default_factory=list)
    # The profession's zoning decides and has not been imported for the commune: ask the territory.
    zoning_unknown: bool = False


def _profession_verdict(aid: Aid, profession: str) -> tuple[bool, str]:
    if not aid.professions:
        return True, _("Ouverte à toutes les professions de santé.")
    if profession in aid.professions:
        return True, _("Ouverte à votre profession (%(profession)s).") % {"profession": Profession(profession).label}
    labels = ", ".join(str(Profession(p).label) for p in aid.professions if p in Profession.values)
    return False, _("Réservée à : %(professions)s.") % {"professions": labels}


def _zoning_verdict(aid: Aid, *, profession: str, commune: Commune, zone: str | None) -> tuple[bool | None, str]:
    """Whether the commune's zone in the zoning of the applicant's profession is one the aid names;
    None when that zoning is not known for the commune (never a guess from another profession's)."""
    if not aid.zones:
        return True, _("Sans condition de zonage.")
    zoning = zoning_profession(profession)
    if zoning is None:
        return None, _("Elle dépend du zonage ARS, que l'ARS ne publie pas pour votre profession.")
    values = {"commune": commune.name, "profession": zoning.label}
    if zone is None:
        return None, _("Le zonage ARS des %(profession)s n'est pas encore connu du portail pour %(commune)s.") % values
    values["zone"] = ArsZone(zone).label
    if zone in aid.zones:
        return True, _("%(commune)s est classée « %(zone)s » dans le zonage des %(profession)s.") % values
    values["zones"] = aid.zones_display()
    return False, _(
        "Réservée aux communes classées %(zones)s ; %(commune)s est classée « %(zone)s » dans le zonage "
        "des %(profession)s."
    ) % values


def aid_eligibility(
    aid: Aid,
    *,
    profession: str,
    commune: Commune | None,
    covered_ids: set[int],
    zone: str | None,
    aid_communes: set[int],
) -> AidEligibility:
    verdict, reason = _profession_verdict(aid, profession)
    reasons: list[str] = [reason]
    verdicts: list[bool | None] = [verdict]
    zoning_unknown = False
    if commune is None:
        if aid.zones or aid_communes:
            reasons.append(_("Dépend de la commune d'installation : choisissez une commune pour le savoir."))
            verdicts.append(None)
    else:
        if commune.pk not in covered_ids:
            reasons.append(_("%(commune)s n'est pas sur le territoire.") % {"commune": commune.name})
            verdicts.append(False)
        if aid_communes:
            if commune.pk in aid_communes:
                reasons.append(_("Proposée à %(commune)s.") % {"commune": commune.name})
                verdicts.append(True)
            else:
                reasons.append(
                    _("Proposée seulement dans certaines communes, pas à %(commune)s.") % {"commune": commune.name}
                )
                verdicts.append(False)
        zoning_verdict, reason = _zoning_verdict(aid, profession=profession, commune=commune, zone=zone)
        reasons.append(reason)
        verdicts.append(zoning_verdict)
        zoning_unknown = zoning_verdict is None
    if False in verdicts:
        eligible = False
    elif None in verdicts:
        eligible = None
    else:
        eligible = True
    zoning_unknown = zoning_unknown and eligible is None
    return AidEligibility(aid=aid, eligible=eligible, reasons=reasons, zoning_unknown=zoning_unknown)


def commune_zone(commune: Commune, profession: str) -> str | None:
    """The commune's zone in the zoning of `profession` (a Profession value), None when not known."""
    zoning = zoning_profession(profession)
    if zoning is None:
        return None
    return CommuneZoning.objects.filter(commune=commune, profession=zoning).values_list("zone", flat=True).first()


def eligible_aids(
    territory: Territory, profession: str, commune: Commune | None = None, *, aids: list[Aid] | None = None
) -> list[AidEligibility]:
    """Each active aid of the territory's catalogue (`aids` when the caller has read it, with their
    communes prefetched or their ids annotated as `commune_ids`), with whether it applies to
    `profession` settling in `commune` and why (eligible first). At most four queries whatever the
    catalogue's size, two when `aids` is given, none when there is no aid."""
    if aids is None:
        aids = list(aid_catalogue(territory))
        # The communes each aid is limited to, as ids: an aid open to a whole département names
        # hundreds of communes, and the page only asks whether the chosen one is among them.
        communes_of: dict[int, set[int]] = {aid.pk: set() for aid in aids}
        links = Aid.communes.through.objects.filter(aid__in=aids).values_list("aid_id", "commune_id")
        for aid_id, commune_id in links:
            communes_of[aid_id].add(commune_id)
    else:
        communes_of = {
            aid.pk: set(aid.commune_ids) if hasattr(aid, "commune_ids") else {item.pk for item in aid.communes.all()}
            for aid in aids
        }
    covered_ids: set[int] = set()
    zone = None
    if commune is not None and aids:  # without aids, nothing to check the commune against
        covered_ids = set(territory.communes.filter(pk=commune.pk).values_list("pk", flat=True))
        zone = commune_zone(commune, profession)
    results = [
        aid_eligibility(
            aid,
            profession=profession,
            commune=commune,
            covered_ids=covered_ids,
            zone=zone,
            aid_communes=communes_of[aid.pk],
        )
        for aid in aids
    ]
    order = {True: 0, None: 1, False: 2}
    return sorted(results, key=lambda r: order[r.eligible])


def case_eligible_aids(
    case: Case, *, aids: list[Aid] | None = None, target_communes: list[Commune] | None = None
) -> list[AidEligibility]:
    """Eligibility for a case: the settlement commune if known, else its first target commune
    (`aids`, `target_communes`: the catalogue and the case's communes, when the page has read them)."""
    commune = case.settlement_commune
    if commune is None:
        targets = list(case.target_communes.all()) if target_communes is None else target_communes
        commune = targets[0] if targets else None
    return eligible_aids(case.territory, case.profession, commune, aids=aids)


def aid_catalogue(territory: Territory) -> QuerySet[Aid]:
    """The territory's active aids, for the public catalogue."""
    return Aid.objects.for_territory(territory).filter(active=True).order_by("name")
