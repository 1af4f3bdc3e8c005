"""What the case list's content says around its table (written in Python by
installations/admin/case_list_frame.content_html): the tools, a refused sort, an empty list, the
filters left open on a wrong value, and a partner's shorter page."""

from installations.enums import NeedKind
from installations.services.needs import need_refer
from tests.installations.admin_helpers import CHANGELIST, make_cases


def test_a_wrong_sort_is_said_next_to_the_filters_which_stay_open(territory_a, client_a):
    make_cases(territory_a, 2)
    html = client_a.get(CHANGELIST, {"o": "nonsense", "profession": "nonsense"}).content.decode()
    assert '<div class="error-text" id="id_o_error"><p>Tri :' in html
    assert '<details class="inst-more-filters" open>' in html
    # The other filters still apply: the two cases are listed, with the export of the list.
    assert "2 demandes" in html and "Exporter la liste filtrée (CSV)" in html
    assert '<table id="result_list"' in html and 'id="action-toggle"' in html


def test_a_list_with_no_match_says_so_without_table_nor_pages(territory_a, client_a):
    make_cases(territory_a, 2)
    html = client_a.get(CHANGELIST, {"q": "zyxwv"}).content.decode()
    assert "Aucune demande ne correspond à ces filtres." in html
    assert "result_list" not in html and 'class="paginator"' not in html and 'name="action"' not in html
    # The filters stay closed on the plain list (nothing refused, nothing chosen).
    assert '<details class="inst-more-filters">' in client_a.get(CHANGELIST).content.decode()


def test_a_partner_sees_the_table_without_tools_filters_grid_nor_actions(territory_a, coordinator_a, partner_a, login):
    case = make_cases(territory_a, 1)[0]
    need = case.needs.get(kind=NeedKind.PREMISES)
    need_refer(actor=coordinator_a, need=need, organisation=partner_a.organisation, referent=partner_a)
    html = login(partner_a).get(CHANGELIST).content.decode()
    assert case.reference in html and '<table id="result_list"' in html
    assert "object-tools" not in html and "inst-more-filters" not in html
    assert 'id="action-toggle"' not in html and 'name="action"' not in html
