"""One Bootstrap look for every form (settings.FORM_RENDERER).

Django renders each widget through the form renderer, so giving the widget
its Bootstrap class here replaces the per-app "style every field" helpers:
forms stay plain Django forms, templates write ``{{ form }}`` or
``{{ field }}``. A widget that already names a Bootstrap class is left alone."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates

_OPTION_TEMPLATES = ("radio.html", "checkbox_select.html")
_BOOTSTRAP_CLASSES = {"form-control", "form-select", "form-check-input", "btn", "form-range"}


def _add_class(attrs: dict[str, Any], css: str) -> None:
    classes = str(attrs.get("class", "")).split()
    if not _BOOTSTRAP_CLASSES & set(classes):
        classes.insert(0, css)
    if attrs.get("aria-invalid") == "true" and "is-invalid" not in classes:
        classes.append("is-invalid")
    attrs["class"] = " ".join(classes)


def bootstrap_widget(widget: dict[str, Any]) -> None:
    template = str(widget.get("template_name", ""))
    attrs = widget.setdefault("attrs", {})
    if template.endswith("checkbox.html"):
        _add_class(attrs, "form-check-input")
    elif template.endswith(_OPTION_TEMPLATES):
        # The container stays a plain <div>; each option is a check input.
        for _group, options, _index in widget.get("optgroups", ()):
            for option in options:
                _add_class(option.setdefault("attrs", {}), "form-check-input")
    elif template.endswith(("select.html", "select_date.html")):
        _add_class(attrs, "form-select")
    elif widget.get("type") == "hidden":
        return
    else:
        _add_class(attrs, "form-control")


# Radio and checkbox lists: each option in Bootstrap's .form-check wrapper
# (Django's own templates put the input inside the label, which Bootstrap
# does not lay out). Radios stand side by side, checkbox lists one a line.
_CHOICE_TEMPLATES = {
    "django/forms/widgets/radio.html": True,
    "django/forms/widgets/checkbox_select.html": False,
}


class BootstrapFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict):
            bootstrap_widget(widget)
            for sub in widget.get("subwidgets", ()):
                bootstrap_widget(sub)
        if template_name in _CHOICE_TEMPLATES:
            context = {**context, "inline": _CHOICE_TEMPLATES[template_name]}
            template_name = "core/forms/choices.html"
        return super().render(template_name, context, request)
