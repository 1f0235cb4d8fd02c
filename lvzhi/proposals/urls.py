from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path

from lvzhi.proposals.views import (
    detail,
    drafting,
    evaluation,
    handling,
    review,
    settings,
    threads,
)

app_name = "proposals"

# The buttons of the detail page: one view per use case, at /<pk>/do/<action>/.
PROPOSAL_BUTTONS = {
    "submit": drafting.submit,
    "withdraw": drafting.withdraw,
    "cosign": drafting.cosign,
    "register": review.register,
    "decline": review.decline,
    "convert": review.convert,
    "return": review.return_,
    "merge": review.merge,
    "assign": handling.assign,
    "review_reply": handling.review_reply,
    "decide_extension": handling.decide_extension,
    "decide_reassignment": handling.decide_reassignment,
    "evaluate": evaluation.evaluate,
    "close": evaluation.close,
    "mark_key": evaluation.mark_key,
    "supervise": evaluation.supervise,
    "select_excellent": evaluation.select_excellent,
}
# A unit's buttons on its own assignment, at /assignments/<pk>/do/<action>/.
ASSIGNMENT_BUTTONS = {
    "accept": handling.accept,
    "precontact": handling.precontact,
    "co_opinion": handling.co_opinion,
    "reply": handling.reply,
    "request_extension": handling.request_extension,
    "request_reassignment": handling.request_reassignment,
    "rate_quality": handling.rate_quality,
}
BUTTONS = {"<int:pk>/do/": PROPOSAL_BUTTONS, "assignments/<int:pk>/do/": ASSIGNMENT_BUTTONS}
# A row's buttons on the settings page: the view and what it is told.
SETTINGS_BUTTONS: dict[str, tuple[Callable[..., HttpResponse], dict[str, bool]]] = {
    "rename": (settings.settings_rename, {}),
    "activate": (settings.settings_set_active, {"active": True}),
    "deactivate": (settings.settings_set_active, {"active": False}),
    "up": (settings.settings_move, {"up": True}),
    "down": (settings.settings_move, {"up": False}),
    "delete": (settings.settings_delete, {}),
}

urlpatterns = [
    # 提: the member's pages
    path("mine/", drafting.mine, name="mine"),
    path("new/", drafting.create, name="create"),
    path("cosign/", drafting.cosign_inbox, name="cosign_inbox"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/edit/", drafting.edit, name="edit"),
    path("<int:pk>/print/", detail.print_proposal, name="print"),
    path("<int:pk>/correct/", review.correct, name="correct"),
    # 立: the office
    path("", review.proposal_list, name="list"),
    path("review/", review.review, name="review"),
    path("export/", review.export_list, name="export"),
    path("stats/", review.stats, name="stats"),
    path("stats/export/", review.export_stats, name="export_stats"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/defaults/", settings.settings_defaults, name="settings_defaults"),
    path("settings/deadlines/", settings.settings_deadlines, name="settings_deadlines"),
    path("settings/classes/", settings.settings_answer_classes, name="settings_answer_classes"),
    path("settings/preset/", settings.settings_answer_preset, name="settings_answer_preset"),
    path("settings/<slug:kind>/add/", settings.settings_add, name="settings_add"),
    *(
        path(f"settings/<slug:kind>/<int:pk>/{action}/", view, told, name=f"settings_{action}")
        for action, (view, told) in SETTINGS_BUTTONS.items()
    ),
    # 办 and 督: units and leaders
    path("unit/", handling.unit_inbox, name="unit_inbox"),
    path("requests/", handling.requests_queue, name="requests"),
    path("assignments/<int:pk>/thread/", threads.thread, name="thread"),
    path("replies/<int:pk>/print/", detail.print_reply, name="print_reply"),
    path("supervision/", evaluation.supervision, name="supervision"),
    # 评: excellent proposals
    path("excellent/", evaluation.excellent, name="excellent"),
    path("excellent/publish/", evaluation.excellent_publish, name="excellent_publish"),
    path("attachments/<int:pk>/", detail.attachment_download, name="attachment"),
    # The buttons, named by their action.
    *(
        path(f"{prefix}{action}/", view, name=action)
        for prefix, buttons in BUTTONS.items()
        for action, view in buttons.items()
    ),
]
