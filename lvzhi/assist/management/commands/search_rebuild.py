from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.assist import indexing
from lvzhi.assist.sources import SOURCES
from lvzhi.core.context import acting_as


class Command(BaseCommand):
    help = "Rebuild the search index from the apps' tables (all kinds, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*", metavar="kind", help=", ".join(SOURCES))

    def handle(self, *args: Any, kinds: list[str], **options: Any) -> None:
        unknown = sorted(set(kinds) - set(SOURCES))
        if unknown:
            raise CommandError(f"unknown kind: {', '.join(unknown)} (known: {', '.join(SOURCES)})")
        with acting_as(channel="command:search_rebuild"):
            done = indexing.rebuild(kinds or None)
        for kind, count in done.items():
            self.stdout.write(f"{kind}: {count}")
