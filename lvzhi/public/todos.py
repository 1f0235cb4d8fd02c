"""The public channel's to-dos on the home page (org.home.register_todos):
the citizens' messages waiting for the office's reply, those past the reply
deadline urgent."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.org.home import Todo, register_todos
from lvzhi.public import filters, selectors


def register() -> None:
    register_todos(
        "staff:public",
        Todo(
            _("Messages waiting for a reply"),
            "public:inbox",
            lambda r: selectors.waiting_for_reply(selectors.inbox_for(r.user, r.committee)),
            "public.handle_all",
            f"status={filters.OPEN}",
            "chat-square-text",
        ),
        Todo(
            _("Messages past the reply deadline"),
            "public:inbox",
            lambda r: selectors.past_reply_deadline(selectors.inbox_for(r.user, r.committee)),
            "public.handle_all",
            f"status={filters.OVERDUE}",
            "exclamation-octagon",
            urgent=True,
        ),
    )
