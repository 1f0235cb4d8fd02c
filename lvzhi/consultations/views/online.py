"""Pages of 网络议政: posting, editing one's post, and hiding a post."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.consultations import forms, services
from lvzhi.consultations.models import Consultation, Post
from lvzhi.consultations.views._common import actor, flash_form_errors, form_page, int_param
from lvzhi.consultations.views.consultations import consultation_of, detail_url
from lvzhi.core.web import object_for, posted, require, run_action


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
            actor=actor(request),
            consultation=consultation,
            text=form.cleaned_data["text"],
            parent=parent,
            token=form.cleaned_data["token"],
        ),
        _("Your post has been published."),
        url,
    )


def _post(request: HttpRequest, pk: int, post_pk: int) -> tuple[Consultation, Post]:
    consultation = consultation_of(request, pk)
    post = object_for(request, Post.objects.filter(consultation=consultation), pk=post_pk)
    return consultation, post


@login_required
def post_edit(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    consultation, post = _post(request, pk, post_pk)
    require(request, "consultations.edit_post", post)
    url = detail_url(consultation, "#posts")
    form = forms.PostEditForm(posted(request), initial={"text": post.text})
    return form_page(
        request,
        form,
        save=lambda d: services.post_edit(actor=actor(request), post=post, **d),
        success=lambda p: url,
        message=_("Your post has been changed."),
        title=_("Edit your post"),
        cancel_url=url,
    )


@login_required
def post_hide(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    consultation, post = _post(request, pk, post_pk)
    require(request, "consultations.moderate_consultation", consultation)
    url = detail_url(consultation, "#posts")
    form = forms.HideForm(posted(request))
    return form_page(
        request,
        form,
        save=lambda d: services.post_hide(actor=actor(request), post=post, **d),
        success=lambda p: url,
        message=_("The post has been hidden; it stays in the history."),
        title=_("Hide a post"),
        cancel_url=url,
        extra={"quote": post.text},
    )
