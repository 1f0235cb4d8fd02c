from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.assist import indexing, training
from lvzhi.assist.corpus_load import corpus_load
from lvzhi.core.context import acting_as
from lvzhi.org.models import Committee


class Command(BaseCommand):
    help = (
        "Load the generated five-year proposal history into a committee (demo only), "
        "then index it and train the unit suggestions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("committee", help="the committee's code")
        parser.add_argument("--seed", type=int, default=15)

    def handle(self, *args: Any, committee: str, seed: int, **options: Any) -> None:
        row = Committee.objects.filter(code=committee).first()
        if row is None:
            raise CommandError(f"no committee with code {committee}")
        with acting_as(channel="command:assist_corpus"):
            created = corpus_load(row, seed=seed)
            indexing.rebuild(["proposal"])
            training.train(row)
        self.stdout.write(f"{created} proposals loaded into {row}")
