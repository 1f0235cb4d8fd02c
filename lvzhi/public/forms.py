"""Forms of the public channel: validation and Chinese messages, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.committee_settings import form_initial, settings_form_class
from lvzhi.org.models import Member
from lvzhi.public import settings_defs
from lvzhi.public.models import Message


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class MessageForm(forms.Form):
    """The citizen's form on a venue's public page."""

    category = forms.ChoiceField(label=_("Category"), choices=Message.Category.choices)
    text = forms.CharField(
        label=_("Your question or suggestion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    photos = MultiplePhotoField(label=_("Photos (optional, JPEG or PNG)"), required=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=32, required=False)
    mobile = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my mobile number is stored so that staff can call me back about "
            "this message."
        ),
        required=False,
        initial=False,
    )
    # Left empty by people; the CSS hides it. A bot that fills it is refused.
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, max_length: int = 1000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = str(max_length)
        self.fields["text"].help_text = _("At most %(n)s characters.") % {"n": max_length}
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A number without consent is not stored: ask again, keeping the number
        # typed, rather than dropping it silently after the message is sent.
        if (cleaned.get("mobile") or "").strip() and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "You entered a mobile number: tick the box to let us store it, or clear "
                    "the number."
                ),
            )
        return cleaned

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get("website", "")).strip())

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value.strip():
            # Says nothing of which field gave the sender away.
            raise forms.ValidationError(
                _("Your message could not be accepted. Please reload the page and send again.")
            )
        return value


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Message.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    public = forms.BooleanField(
        label=_("Show the question and this reply on the venue's public page"), required=False
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing"), max_length=300)


class AssignForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members  # type: ignore[attr-defined]


class ConversionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Turn into"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    member = forms.ModelChoiceField(
        label=_("For member (proposal lead, report draft)"),
        queryset=Member.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], members: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=100, required=False)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]


class VenueForm(RoomForm):
    """A venue's public page after it was made; a studio's or station's name
    and members are its organisation row's, so only a room's are here."""

    is_active = forms.BooleanField(label=_("Open to messages"), required=False)

    def __init__(self, *args: Any, members: Any, is_room: bool, **kwargs: Any) -> None:
        super().__init__(*args, members=members, **kwargs)
        if not is_room:
            del self.fields["name"]
            del self.fields["members"]
            for name in ("address", "opening_hours"):
                self.fields[name].help_text = _(
                    "Leave empty to show the studio's or station's own."
                )


def settings_form(data: Any, *, committee: Any) -> forms.Form:
    """The committee's settings of the channel (settings_defs), in the page's order."""
    form = settings_form_class(settings_defs.PREFIX)(
        data, initial=form_initial(committee, settings_defs.PREFIX)
    )
    form.order_fields([d.key.replace(".", "__") for d in settings_defs.ALL])
    return form
