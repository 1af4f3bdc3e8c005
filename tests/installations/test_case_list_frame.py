"""The coordinator's case list writes the admin's frame itself (a page reloaded all day): it must stay
the HTML admin/base_site.html and admin/base.html write, and its links those `{% querystring %}` gives."""

import re

import pytest
from django.contrib import messages
from django.http import QueryDict
from django.template import RequestContext, engines
from django.test import RequestFactory
from django.urls import reverse

from installations.admin.case_list import query_link
from installations.enums import CaseStatus
from tests.installations.factories import CaseFactory

CHANGELIST = reverse("admin:installations_case_changelist")

# The page's frame as the admin's templates write it (what the list extended before).
ADMIN_FRAME = """{% extends "admin/base_site.html" %}{% load i18n static %}
{% block extrastyle %}{{ block.super }}<link rel="stylesheet" href="{% static 'admin/css/changelists.css' %}">
<link rel="stylesheet" href="{% static 'admin_extra/installations.css' %}">{% endblock %}
{% block extrahead %}{{ block.super }}
<script src="{% static 'admin_extra/case_list.js' %}" defer></script>{% endblock %}
{% block bodyclass %}{{ block.super }} app-installations model-case change-list{% endblock %}
{% block breadcrumbs %}
<div class="breadcrumbs">
  <a href="{% url 'admin:index' %}">{% translate "Accueil" %}</a>
  &rsaquo; <a href="{% url 'admin:app_list' app_label=opts.app_label %}">{{ opts.app_config.verbose_name }}</a>
  &rsaquo; {{ title }}
</div>
{% endblock %}
{% block coltype %}{% endblock %}
{% block content %}CONTENT{% endblock %}"""


def normalised(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = re.sub(r'<div id="content-main".*</div>\s*<br class="clear">', 'CONTENT<br class="clear">', html, flags=re.S)
    html = re.sub(r"\s*CONTENT\s*", "CONTENT", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("usable_password", [True, False])
def test_the_case_list_frame_is_the_admins(territory_a, coordinator_a, login, usable_password):
    if usable_password:
        coordinator_a.set_password("une phrase de passe solide")
    else:
        coordinator_a.set_unusable_password()
    coordinator_a.save()
    CaseFactory(territory=territory_a, status=CaseStatus.SUBMITTED)
    client = login(coordinator_a)
    response = client.get(CHANGELIST, {"status": "open"})
    assert response.status_code == 200
    request = response.wsgi_request
    messages.info(request, "Une information pour vérifier les messages.")
    ours = response.resolve_template(response.template_name).render(response.context_data, request)
    theirs = engines["django"].from_string(ADMIN_FRAME).render(response.context_data, request)
    assert "Une information pour vérifier les messages." in ours
    assert ("Modifier le mot de passe" in ours) is usable_password
    assert normalised(ours) == normalised(theirs)


def test_the_list_links_are_those_of_querystring():
    template = engines["django"].engine.from_string("{% querystring status=s page=None %}|{% querystring page=p %}")
    for query in ("", "status=open", "q=le+goff&page=3&o=-applicant", "page=2&status=", "q=%C3%A9t%C3%A9&q=x&a=<b>"):
        request = RequestFactory().get(f"/?{query}")
        link = query_link(QueryDict(query))
        for status, page in (("", 2), ("open", 10), ("closed", 1)):
            expected = template.render(RequestContext(request, {"s": status, "p": page}))
            assert f"{link(status=status, page=None)}|{link(page=page)}" == expected
