"""Aid eligibility reads the ARS zoning of the applicant's own profession; until that zoning is known
for the commune, the answer is "nous ne savons pas encore", never "vous pourriez y prétendre"."""

import pytest
from django.urls import reverse

from installations import eligibility
from portal.enums import ZONES_BY_PROFESSION, ArsZone, Profession, ZoningProfession, zoning_profession
from tests.installations.factories import AidFactory
from tests.portal.factories import CommuneFactory

# One profession of each zoning, the zone that opens its aid and one that does not.
CASES = [
    (Profession.DOCTOR_GP, ZoningProfession.DOCTORS, ArsZone.ZIP, ArsZone.NONE),
    (Profession.NURSE, ZoningProfession.NURSES, ArsZone.VERY_UNDERSERVED, ArsZone.INTERMEDIATE),
    (Profession.MIDWIFE, ZoningProfession.MIDWIVES, ArsZone.UNDERSERVED, ArsZone.OVERSERVED),
    (Profession.PHYSIOTHERAPIST, ZoningProfession.PHYSIOTHERAPISTS, ArsZone.VERY_UNDERSERVED, ArsZone.NOT_PRIORITY),
    (Profession.SPEECH_THERAPIST, ZoningProfession.SPEECH_THERAPISTS, ArsZone.UNDERSERVED, ArsZone.WELL_SERVED),
    (Profession.DENTIST, ZoningProfession.DENTISTS, ArsZone.VERY_UNDERSERVED, ArsZone.INTERMEDIATE),
]


@pytest.fixture
def commune(territory_a):
    commune = CommuneFactory(insee_code="50082", name="Bricquebec-en-Cotentin")
    territory_a.communes.add(commune)
    return commune


def _verdict(territory, profession, commune, aid):
    [result] = [r for r in eligibility.eligible_aids(territory, profession, commune) if r.aid == aid]
    return result


def test_every_zoning_has_its_own_categories():
    assert set(ZONES_BY_PROFESSION) == set(ZoningProfession.values)
    assert ArsZone.ZIP in ZONES_BY_PROFESSION[ZoningProfession.DOCTORS]
    for profession in set(ZoningProfession) - {ZoningProfession.DOCTORS}:
        assert ArsZone.ZIP not in ZONES_BY_PROFESSION[profession]
        assert ArsZone.VERY_UNDERSERVED in ZONES_BY_PROFESSION[profession]
    assert zoning_profession(Profession.IPA) == ZoningProfession.NURSES
    assert zoning_profession(Profession.PHARMACIST) is None


@pytest.mark.parametrize(("profession", "zoning", "open_zone", "closed_zone"), CASES)
def test_each_profession_is_judged_on_its_own_zoning(territory_a, commune, profession, zoning, open_zone, closed_zone):
    aid = AidFactory(territory=territory_a, professions=[profession], zones=[open_zone])
    # Another profession's zoning classes the commune in the aid's zone: it must not count.
    other = ZoningProfession.NURSES if zoning == ZoningProfession.DOCTORS else ZoningProfession.DOCTORS
    CommuneFactory(insee_code=commune.insee_code, zonings={other: ZONES_BY_PROFESSION[other][0]})

    unknown = _verdict(territory_a, profession, commune, aid)
    assert unknown.eligible is None and unknown.zoning_unknown
    assert f"Le zonage ARS des {zoning.label} n'est pas encore connu du portail" in " ".join(unknown.reasons)

    CommuneFactory(insee_code=commune.insee_code, zonings={zoning: closed_zone})
    refused = _verdict(territory_a, profession, commune, aid)
    assert refused.eligible is False and not refused.zoning_unknown
    assert f"classée « {closed_zone.label} » dans le zonage des {zoning.label}" in " ".join(refused.reasons)

    CommuneFactory(insee_code=commune.insee_code, zonings={zoning: open_zone})
    granted = _verdict(territory_a, profession, commune, aid)
    assert granted.eligible is True
    assert f"classée « {open_zone.label} » dans le zonage des {zoning.label}" in " ".join(granted.reasons)


def test_a_nurse_in_a_doctors_zip_is_not_told_she_could_claim_the_nurses_contract(territory_a, commune, client):
    """The issue's case: Bricquebec is a ZIP for doctors; the nurses' contract needs a "très sous-dotée"."""
    CommuneFactory(insee_code=commune.insee_code, ars_zone=ArsZone.ZIP)
    caii = AidFactory(
        territory=territory_a, name="CAII", professions=[Profession.NURSE], zones=[ArsZone.VERY_UNDERSERVED]
    )
    url = reverse("installations:aids", kwargs={"territory_slug": territory_a.slug})

    body = client.get(url, {"profession": Profession.NURSE, "commune": commune.pk}).content.decode()
    assert "Nous ne savons pas encore" in body
    assert territory_a.contact_email in body
    assert "Vous pourriez y prétendre" not in body and "avez droit" not in body

    CommuneFactory(insee_code=commune.insee_code, zonings={ZoningProfession.NURSES: ArsZone.INTERMEDIATE})
    body = client.get(url, {"profession": Profession.NURSE, "commune": commune.pk}).content.decode()
    assert "Ne s'applique pas" in body and "Vous pourriez y prétendre" not in body
    assert _verdict(territory_a, Profession.NURSE, commune, caii).eligible is False

    CommuneFactory(insee_code=commune.insee_code, zonings={ZoningProfession.NURSES: ArsZone.VERY_UNDERSERVED})
    body = client.get(url, {"profession": Profession.NURSE, "commune": commune.pk}).content.decode()
    assert "Vous pourriez y prétendre" in body and "Nous ne savons pas encore" not in body


def test_an_aid_open_to_all_reads_each_applicant_zoning(territory_a, commune):
    aid = AidFactory(territory=territory_a, professions=[], zones=[ArsZone.ZIP, ArsZone.VERY_UNDERSERVED])
    CommuneFactory(
        insee_code=commune.insee_code,
        zonings={ZoningProfession.DOCTORS: ArsZone.ZIP, ZoningProfession.NURSES: ArsZone.WELL_SERVED},
    )
    assert _verdict(territory_a, Profession.DOCTOR_GP, commune, aid).eligible is True
    assert _verdict(territory_a, Profession.NURSE, commune, aid).eligible is False
    assert _verdict(territory_a, Profession.MIDWIFE, commune, aid).zoning_unknown
    # No zoning is published for pharmacists: the guichet tells, the portal does not guess.
    pharmacist = _verdict(territory_a, Profession.PHARMACIST, commune, aid)
    assert pharmacist.eligible is None
    assert "que l'ARS ne publie pas pour votre profession" in " ".join(pharmacist.reasons)


def test_eligible_aids_say_why_each_aid_applies_or_not(territory_a, communes_a):
    zip_commune, zac_commune, plain_commune = communes_a
    zip_gp = AidFactory(territory=territory_a, name="Contrat d'aide à l'installation", zones=[ArsZone.ZIP])
    anyone = AidFactory(territory=territory_a, name="Prime intercommunale", professions=[], zones=[])
    local = AidFactory(territory=territory_a, name="Loyer offert", professions=[], zones=[])
    local.communes.set([zac_commune])
    nurses = AidFactory(territory=territory_a, name="Aide infirmière", professions=[Profession.NURSE], zones=[])
    AidFactory(territory=territory_a, name="Ancienne aide", active=False)

    def verdicts(profession, commune):
        results = eligibility.eligible_aids(territory_a, profession, commune)
        return {r.aid.name: (r.eligible, r.reasons) for r in results}

    gp_in_zip = verdicts(Profession.DOCTOR_GP, zip_commune)
    assert "Ancienne aide" not in gp_in_zip
    assert gp_in_zip[zip_gp.name][0] is True
    assert gp_in_zip[anyone.name][0] is True
    assert gp_in_zip[nurses.name][0] is False
    assert "Réservée à : Infirmier ou infirmière." in gp_in_zip[nurses.name][1]
    assert gp_in_zip[local.name][0] is False

    gp_outside = verdicts(Profession.DOCTOR_GP, plain_commune)
    assert gp_outside[zip_gp.name][0] is False
    reasons = " ".join(gp_outside[zip_gp.name][1])
    assert "Réservée aux communes classées Zone d'intervention prioritaire (ZIP)" in reasons

    unknown = verdicts(Profession.DOCTOR_GP, None)
    assert unknown[zip_gp.name][0] is None
    assert unknown[anyone.name][0] is True
    ordered = [r.eligible for r in eligibility.eligible_aids(territory_a, Profession.DOCTOR_GP, None)]
    assert ordered == sorted(ordered, key=lambda v: {True: 0, None: 1, False: 2}[v])


def test_eligibility_refuses_a_commune_of_another_territory(territory_a, communes_a):
    aid = AidFactory(territory=territory_a, professions=[], zones=[])
    elsewhere = CommuneFactory(insee_code="79191", name="Niort")
    [result] = eligibility.eligible_aids(territory_a, Profession.DOCTOR_GP, elsewhere)
    assert result.aid == aid and result.eligible is False
    assert "Niort n'est pas sur le territoire." in result.reasons


def test_eligibility_costs_the_same_queries_whatever_the_catalogue(territory_a, communes_a, django_assert_num_queries):
    for n in range(30):
        aid = AidFactory(territory=territory_a, name=f"Aide {n}", zones=[ArsZone.ZIP])
        aid.communes.set(communes_a)
    with django_assert_num_queries(4):
        results = eligibility.eligible_aids(territory_a, Profession.DOCTOR_GP, communes_a[0])
    assert len(results) == 30 and all(r.eligible for r in results)


@pytest.mark.parametrize("where", ["target commune", "settlement commune", "no commune", "outside the territory"])
@pytest.mark.parametrize("profession", [Profession.DOCTOR_GP, Profession.NURSE, Profession.PHARMACIST])
def test_the_applicants_case_page_reads_the_same_verdicts_in_one_query(territory_a, commune, where, profession):
    """The applicant's case page folds the catalogue, the aids' communes, the commune's place and
    zone and the aids the coordinator linked into one query: the same verdicts, reasons and order."""
    from installations.applicant_selectors import applicant_case_page
    from tests.installations.factories import CaseFactory

    elsewhere = CommuneFactory(insee_code="79191", name="Niort")
    CommuneFactory(insee_code=commune.insee_code, zonings={ZoningProfession.DOCTORS: ArsZone.ZIP})
    aids = [
        AidFactory(territory=territory_a, name="A zonage", zones=[ArsZone.ZIP]),
        AidFactory(territory=territory_a, name="B infirmiers", professions=[Profession.NURSE]),
        AidFactory(territory=territory_a, name="C ici", zones=[]),
        AidFactory(territory=territory_a, name="D ailleurs", zones=[]),
        AidFactory(territory=territory_a, name="E pour tous", zones=[], professions=[]),
    ]
    AidFactory(territory=territory_a, name="F inactive", active=False)
    aids[2].communes.add(commune)
    aids[3].communes.add(elsewhere)
    target = {"target commune": [commune], "outside the territory": [elsewhere]}.get(where, [])
    case = CaseFactory(territory=territory_a, profession=profession, target_communes=target)
    if where == "settlement commune":
        case.settlement_commune = commune
        case.save()
    case.aids.add(aids[0], aids[3])

    page = applicant_case_page(case)

    expected = eligibility.case_eligible_aids(case)
    assert [(r.aid, r.eligible, r.reasons, r.zoning_unknown) for r in page["eligible_aids"]] == [
        (r.aid, r.eligible, r.reasons, r.zoning_unknown) for r in expected
    ]
    assert page["aids"] == list(case.aids.filter(active=True)) == [aids[0], aids[3]]
