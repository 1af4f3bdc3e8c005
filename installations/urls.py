"""The applicant's pages, mounted by the portal at `<slug:territory_slug>/installation/`.

`installations:start` is the entry point shown on the territory's home page; `case_detail` is the
link of the applicant's notifications; `confirm` is the link of the confirmation e-mail.
"""

from django.urls import path

from installations import views

app_name = "installations"

urlpatterns = [
    path("", views.start, name="start"),
    path("demande/envoyee/", views.submitted, name="submitted"),
    path("demande/<slug:step>/", views.request_step, name="request_step"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("mes-demandes/", views.case_list, name="case_list"),
    path("mes-demandes/<int:pk>/", views.case_detail, name="case_detail"),
    path("mes-demandes/<int:pk>/message/", views.message_add, name="message_add"),
    path("mes-demandes/<int:pk>/documents/", views.document_add, name="document_add"),
    path("mes-demandes/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("mes-demandes/<int:pk>/retirer/", views.case_withdraw, name="case_withdraw"),
    path("mes-demandes/<int:pk>/mes-donnees.json", views.case_export, name="case_export"),
    path("mes-demandes/<int:pk>/effacer/", views.case_erase, name="case_erase"),
    path("aides/", views.aids, name="aids"),
    path("opportunites/", views.opportunity_list, name="opportunity_list"),
    path("opportunites/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
]
