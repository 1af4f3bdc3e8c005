from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.notifications import selectors, services
from portal.notifications.forms import PreferenceForm
from portal.notifications.models import Notification

PAGE_SIZE = 30


def _back(request, default="notifications:list"):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.user)
    # The header's count is the same figure: counted once.
    context = {"page": page, "unread_total": unread, "unread_notifications_count": unread}
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notification_mark_read(request, pk):
    # Only the recipient's own notifications: anyone else's answers 404, like a missing one.
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if "open" in request.POST and notification.url:
        return redirect(notification.url)
    return _back(request)


@login_required
@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return _back(request)


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, initial={"email_mode": selectors.email_mode_for(request.user)})
    if request.method == "POST":
        if form.is_valid():
            services.preference_set(actor=request.user, email_mode=form.cleaned_data["email_mode"])
            messages.success(request, _("Votre choix est enregistré."))
            return redirect("notifications:preferences")
        messages.error(request, _("Votre choix n'a pas été enregistré : corrigez le champ signalé."))
    return render(request, "notifications/preferences.html", {"form": form})
