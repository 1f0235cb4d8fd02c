"""The host's way to manage administrators' accounts (DESIGN §9).

No security administrator manages a peer: the administrators of the top of
the tree (and any administrator's account when no one is above it) are
created, given their role and reset here, by whoever operates the host.

    python manage.py admin_account USERNAME --committee CODE --role secadmin [--name 姓名]
    python manage.py admin_account USERNAME --reset-password

Prints a temporary password the holder must change at first login. Every
step is audited (channel "command:admin_account", no person as actor)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lvzhi.accounts import services
from lvzhi.accounts.models import ADMIN_ROLES, RoleAssignment, User
from lvzhi.core.context import acting_as
from lvzhi.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an administrator's account or give it its role, or reset its password."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--committee", help="code of the committee of the role")
        parser.add_argument("--role", choices=sorted(ADMIN_ROLES))
        parser.add_argument("--name", default="", help="display name of a new account")
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(channel="command:admin_account"):
            try:
                self._handle(**options)
            except DomainError as error:
                raise CommandError(error.message) from None

    def _handle(self, *, username: str, **options: Any) -> None:
        committee_model = RoleAssignment._meta.get_field("committee").related_model
        user = User.objects.filter(username__iexact=username).first()
        if options["reset_password"]:
            if user is None:
                raise CommandError(f"No account {username!r}.")
            password = services.user_password_reset(actor=None, user=user)
            self.stdout.write(f"Temporary password of {user.username}: {password}")
            return
        if not (options["committee"] and options["role"]):
            raise CommandError("Give --committee and --role, or --reset-password.")
        committee = committee_model._default_manager.filter(code=options["committee"]).first()
        if committee is None:
            raise CommandError(f"No committee with code {options['committee']!r}.")
        password = ""
        if user is None:
            user, password = services.user_create(
                actor=None,
                committee=committee,
                username=username,
                display_name=options["name"] or username,
            )
        services.role_grant(actor=None, committee=committee, user=user, role=options["role"])
        self.stdout.write(f"{user.username} is now {options['role']} of {committee}.")
        if password:
            self.stdout.write(f"Temporary password (change at first login): {password}")
