"""The applicant's pages, mounted by the portal at `<slug:territory_slug>/installation/`.

`installations:start` is the entry point shown on the territory's home page; `case_detail` is the
link of the applicant's notifications; `confirm` is the link of the confirmation e-mail.
"""

from django.urls import path

from installations.views import applicant, follow_up, public, request

app_name = "installations"

urlpatterns = [
    path("", request.start, name="start"),
    path("demande/envoyee/", request.submitted, name="submitted"),
    path("demande/envoyee/recapitulatif.pdf", request.submitted_pdf, name="submitted_pdf"),
    path("demande/<slug:step>/", request.request_step, name="request_step"),
    path("confirmer/<str:token>/", request.confirm, name="confirm"),
    path("mes-demandes/", applicant.case_list, name="case_list"),
    path("messages/<str:token>/", applicant.conversation, name="conversation"),
    path("mes-demandes/<int:pk>/", applicant.case_detail, name="case_detail"),
    path("mes-demandes/<int:pk>/message/", applicant.message_add, name="message_add"),
    path("mes-demandes/<int:pk>/documents/", applicant.document_add, name="document_add"),
    path("mes-demandes/<int:pk>/documents/<int:document_pk>/", applicant.document_download, name="document_download"),
    path("mes-demandes/<int:pk>/retirer/", applicant.case_withdraw, name="case_withdraw"),
    path("mes-demandes/<int:pk>/mes-donnees/", applicant.case_personal_data, name="case_personal_data"),
    path("mes-demandes/<int:pk>/mes-donnees.json", applicant.case_export, name="case_export"),
    path("mes-demandes/<int:pk>/recapitulatif.pdf", applicant.case_summary_pdf, name="case_summary_pdf"),
    path("mes-demandes/<int:pk>/effacer/", applicant.case_erase, name="case_erase"),
    path(
        "mes-demandes/<int:pk>/foyer/retirer-consentement/",
        applicant.household_consent_withdraw,
        name="household_consent_withdraw",
    ),
    path("suivi/<str:token>/", follow_up.follow_up_answer_view, name="follow_up_answer"),
    path("aides/", public.aids, name="aids"),
    path("opportunites/", public.opportunity_list, name="opportunity_list"),
    path("opportunites/<int:pk>/", public.opportunity_detail, name="opportunity_detail"),
]
