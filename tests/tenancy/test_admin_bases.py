"""The shared admin pieces of portal.tenancy.admin that every app uses: the scoped inline and the
CSV export."""

from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from governance.admin import CollegeInline
from governance.models import Body, College
from portal.tenancy.admin import csv_response
from tests.governance.factories import BodyFactory, CollegeFactory
from tests.portal.factories import UserFactory


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_csv_response_streams_semicolon_rows_with_a_bom_and_a_dated_name():
    response = csv_response(iter([["référence", "nom"], ["COT-2026-0001", "Lefèvre; Anne"]]), name="demandes")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content == '\ufeffréférence;nom\r\nCOT-2026-0001;"Lefèvre; Anne"\r\n'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="demandes-{today:%Y-%m-%d}.csv"'


def test_scoped_inline_is_for_the_active_staff_of_the_parents_territory(territory_a, coordinator_a, coordinator_b):
    body = BodyFactory(territory=territory_a)
    inline = CollegeInline(Body, admin.site)
    assert inline.has_change_permission(_request(coordinator_a), body)
    assert not inline.has_view_permission(_request(coordinator_b), body)
    coordinator_a.is_staff = False
    assert not inline.has_view_permission(_request(coordinator_a), body)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert inline.has_delete_permission(_request(superuser), body)


def test_scoped_inline_rows_are_those_of_the_parents_territory_and_new_ones_take_it(
    territory_a, territory_b, coordinator_a
):
    body = BodyFactory(territory=territory_a)
    own = CollegeFactory(territory=territory_a, body=body)
    other = CollegeFactory(territory=territory_b, body=BodyFactory(territory=territory_b))
    formset_class = CollegeInline(Body, admin.site).get_formset(_request(coordinator_a), body, extra=1)
    formset = formset_class(instance=body, queryset=College.objects.filter(body=body))
    existing, new = formset.forms
    assert own in existing.fields["id"].queryset and other not in existing.fields["id"].queryset
    assert existing.instance == own and new.instance.pk is None
    assert new.instance.territory_id == territory_a.pk
    # A parent without a territory yet edits no existing row.
    unsaved = formset_class(instance=Body(), queryset=College.objects.none())
    assert not unsaved.empty_form.fields["id"].queryset.exists()
