import pytest

from tests.installations import factories

FACTORIES = [
    factories.CaseFactory,
    factories.NeedFactory,
    factories.CaseEventFactory,
    factories.MessageFactory,
    factories.NoteFactory,
    factories.CaseDocumentFactory,
    factories.AidFactory,
    factories.OpportunityFactory,
    factories.FollowUpFactory,
]


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_factory_makes_a_valid_row_of_the_given_territory(factory_class, territory_a):
    obj = factory_class(territory=territory_a)
    obj.full_clean()
    assert obj.territory == territory_a
    case = getattr(obj, "case", None)
    if case is not None:
        assert case.territory == territory_a


@pytest.mark.parametrize("trait", ["unconfirmed", "supported", "waiting", "settled", "withdrawn", "closed"])
def test_case_factory_traits_give_valid_cases(trait, territory_a):
    factories.CaseFactory(territory=territory_a, **{trait: True}).full_clean()
