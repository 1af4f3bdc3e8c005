import factory
from django.utils.text import slugify

from portal.enums import ArsZone, OrganisationKind, Profession, Role, TerritoryKind, ZoningProfession
from portal.models import Commune, CommuneZoning, Membership, Organisation, ProfessionalProfile, Territory, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-de-test-2026")

    class Params:
        staff = factory.Trait(is_staff=True)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]
        skip_postgeneration_save = True

    insee_code = factory.Sequence(lambda n: f"{99000 + n % 1000:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    departement = "50"
    population = 1200
    postcodes = factory.LazyFunction(lambda: ["50100"])

    @factory.post_generation
    def ars_zone(obj, create, extracted, **kwargs):
        """`CommuneFactory(ars_zone=ArsZone.ZIP)`: the commune's zone in the doctors' zoning."""
        if create and extracted:
            CommuneZoning.objects.update_or_create(
                commune=obj, profession=ZoningProfession.DOCTORS, defaults={"zone": extracted}
            )

    @factory.post_generation
    def zonings(obj, create, extracted, **kwargs):
        """`CommuneFactory(zonings={ZoningProfession.NURSES: ArsZone.UNDERSERVED})`."""
        for profession, zone in (extracted or {}).items() if create else ():
            CommuneZoning.objects.update_or_create(commune=obj, profession=profession, defaults={"zone": zone})


class CommuneZoningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommuneZoning

    commune = factory.SubFactory(CommuneFactory)
    profession = ZoningProfession.DOCTORS
    zone = ArsZone.ZIP


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = TerritoryKind.COMMUNAUTE_AGGLOMERATION
    article = "le"  # "le Territoire Alpha", "du Territoire Alpha"
    region = "Normandie"
    contact_email = factory.LazyAttribute(lambda o: f"guichet@{o.slug}.fr")
    contact_phone = "02 33 00 00 00"
    presentation = factory.LazyAttribute(lambda o: f"Présentation de {o.name}.")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.MSP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, staff=True)
    territory = factory.SubFactory(TerritoryFactory)
    role = Role.COORDINATOR


class ProfessionalProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalProfile

    user = factory.SubFactory(UserFactory)
    profession = Profession.DOCTOR_GP
    rpps = "10003456786"
