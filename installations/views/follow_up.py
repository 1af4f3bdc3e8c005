"""The professional's answer to a follow-up after settlement, through the signed link of its e-mail:
no account needed. Opening the link records nothing (mail scanners open links); the form does."""

from __future__ import annotations

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from installations.services.follow_ups import follow_up_answer, follow_up_from_token


class FollowUpAnswerForm(forms.Form):
    still_practising = forms.TypedChoiceField(
        label=_("Exercez-vous toujours sur le territoire ?"),
        choices=[("yes", _("Oui, j'exerce toujours sur le territoire")), ("no", _("Non, plus sur le territoire"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez oui ou non.")},
    )
    comment = forms.CharField(
        label=_("Un mot pour le guichet (facultatif)"),
        help_text=_("Où exercez-vous désormais, ce qui vous a aidé ou manqué…"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@never_cache
def follow_up_answer_view(request, territory_slug, token):
    follow_up = follow_up_from_token(token, territory=request.territory)
    if follow_up is None:
        return render(request, "installations/follow_up_invalid.html", status=404)
    if follow_up.done_at is not None:
        return render(request, "installations/follow_up_thanks.html", {"follow_up": follow_up})
    form = FollowUpAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with contextlib.suppress(ValidationError):  # answered meanwhile (a second tab): thank them all the same
            follow_up = follow_up_answer(
                follow_up=follow_up,
                still_practising=form.cleaned_data["still_practising"],
                comment=form.cleaned_data["comment"],
            )
        return render(request, "installations/follow_up_thanks.html", {"follow_up": follow_up})
    return render(request, "installations/follow_up_answer.html", {"form": form, "follow_up": follow_up})
