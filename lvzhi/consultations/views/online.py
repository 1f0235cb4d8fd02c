"""Pages of 网络议政: posting, editing one's post, and hiding a post."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, services
from lvzhi.consultations.models import Consultation, Post
from lvzhi.consultations.views._common import flash_form_errors
from lvzhi.consultations.views.consultations import consultation_of, detail_url
from lvzhi.core.web import (
    acting_user,
    form_page,
    int_param,
    object_for,
    posted,
    require,
    run_action,
)


@login_required
@require_POST
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_of(request, pk)
    parent = None
    parent_id = int_param(request.POST.get("parent"))
    if parent_id:
        parent = object_for(request, Post.objects.filter(consultation=consultation), pk=parent_id)
    form = forms.PostForm(request.POST)
    url = detail_url(consultation, "#posts")
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(url)
    return run_action(
        request,
        lambda: services.post_create(
            actor=acting_user(request),
            consultation=consultation,
            text=form.cleaned_data["text"],
            parent=parent,
            token=form.cleaned_data["token"],
        ),
        _("Your post has been published."),
        url,
    )


def _post(request: HttpRequest, pk: int, post_pk: int) -> tuple[Consultation, Post, str]:
    """A post of a consultation the user may see, and the page's posts to go back to."""
    consultation = consultation_of(request, pk)
    post = object_for(request, Post.objects.filter(consultation=consultation), pk=post_pk)
    return consultation, post, detail_url(consultation, "#posts")


@login_required
def post_edit(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    _consultation, post, url = _post(request, pk, post_pk)
    require(request, "consultations.edit_post", post)
    return form_page(
        request,
        forms.PostEditForm(posted(request), initial={"text": post.text}),
        save=lambda d: services.post_edit(actor=acting_user(request), post=post, **d),
        success=url,
        message=_("Your post has been changed."),
        title=_("Edit your post"),
        cancel_url=url,
    )


@login_required
def post_hide(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    consultation, post, url = _post(request, pk, post_pk)
    require(request, "consultations.moderate_consultation", consultation)
    return form_page(
        request,
        forms.HideForm(posted(request)),
        save=lambda d: services.post_hide(actor=acting_user(request), post=post, **d),
        success=url,
        message=_("The post has been hidden; it stays in the history."),
        title=_("Hide a post"),
        cancel_url=url,
        before_form="consultations/_quote.html",
        quote=post.text,
    )
