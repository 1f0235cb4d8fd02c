"""A person's own display preferences: the elder-friendly mode (长辈版).

DESIGN §12: larger text, more line spacing, big tap targets, high contrast and
a simpler home, switched on per account (not per device) so a member who
borrows a phone keeps it. The switch sits in the account menu of every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.accounts.audit import DISPLAY_MODE_CHANGED
from lvzhi.accounts.models import User
from lvzhi.core.audit import audit_log
from lvzhi.core.web import acting_user


def elder_mode_set(*, actor: Any, on: bool) -> User:
    """Switch the actor's own elder-friendly mode; nobody sets another's."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.elder_mode == on:
            return user
        user.elder_mode = on
        user.save(update_fields=["elder_mode"])
        audit_log(action=DISPLAY_MODE_CHANGED, obj=user, mode="elder" if on else "standard")
    actor.elder_mode = on
    return user


@require_POST
@login_required
def elder_mode_toggle(request: HttpRequest) -> HttpResponse:
    """The account menu's switch: posts ``on`` (1 or 0) and the page to go back to."""
    user = acting_user(request)
    on = request.POST.get("on") == "1"
    elder_mode_set(actor=user, on=on)
    messages.success(
        request,
        _("Elder-friendly mode is on.") if on else _("Elder-friendly mode is off."),
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return redirect(back)
