from django.urls import reverse

from portal.documents.enums import DocumentStatus
from portal.documents.models import GeneratedDocument
from tests.documents.factories import GeneratedDocumentFactory

CHANGELIST = "admin:documents_generateddocument_changelist"


def test_coordinator_lists_only_own_territory_documents_with_status_error_size_and_pages(
    territory_a, territory_b, coordinator_a, login, django_assert_max_num_queries
):
    GeneratedDocumentFactory.create_batch(20, territory=territory_a)
    GeneratedDocumentFactory(territory=territory_a, failed=True, title="Registre en échec")
    GeneratedDocumentFactory(territory=territory_b, title="Document de Bêta")
    client = login(coordinator_a)
    client.get(reverse(CHANGELIST))  # warm the session

    # Fixed cost (user, MFA, roles, permissions, count, rows, date hierarchy, session save): no
    # query per row.
    with django_assert_max_num_queries(13):
        response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Registre en échec" in page
    assert "TemplateSyntaxError : gabarit invalide" in page
    assert "Document de Bêta" not in page
    assert page.count('class="field-pages"') == 21


def test_regenerate_action_queues_the_selected_documents_again(
    territory_a, coordinator_a, login, django_capture_on_commit_callbacks
):
    failed = GeneratedDocumentFactory(
        territory=territory_a,
        failed=True,
        builder="tests.documents.builders.sample_builder",
        params={"title": "Registre des avis 2025"},
    )
    running = GeneratedDocumentFactory(territory=territory_a, running=True)
    client = login(coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST),
            {"action": "regenerate", "_selected_action": [failed.pk, running.pk]},
            follow=True,
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 document remis en génération." in page
    assert "déjà en cours de préparation" in page  # the running one is refused, with the reason
    failed.refresh_from_db()
    running.refresh_from_db()
    assert failed.status == DocumentStatus.READY
    assert failed.attempts == 2
    assert running.status == DocumentStatus.RUNNING


def test_coordinator_of_other_territory_gets_404_on_document_admin_page(territory_b, coordinator_a, login):
    document = GeneratedDocumentFactory(territory=territory_b)
    url = reverse("admin:documents_generateddocument_change", args=[document.pk])
    assert login(coordinator_a).get(url).status_code == 404
    assert GeneratedDocument.objects.filter(pk=document.pk).exists()
