import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from lvzhi.core.context import acting_as
from lvzhi.duties import tally


class Command(BaseCommand):
    help = (
        "Recount the duty and invitation tallies (duties.tally) from the duty records "
        "and invitations, set-based, in one transaction."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        with acting_as(channel="command:duties_tally_rebuild"), transaction.atomic():
            rows = tally.rebuild()
        for table, count in rows.items():
            self.stdout.write(f"{table}: {count:,} rows")
        self.stdout.write(f"{time.monotonic() - started:.1f} s")
