from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.assist.evaluation import Figures, evaluate_committee, evaluate_generated
from lvzhi.org.models import Committee


class Command(BaseCommand):
    help = (
        "Unit-suggestion top-1/top-3 accuracy on a held-out year and precision@5 of "
        "similar proposals on the generated labelled set (or on a committee's history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", help="a committee's code: its own history instead")
        parser.add_argument("--seed", type=int, default=15)

    def handle(self, *args: Any, committee: str | None, seed: int, **options: Any) -> None:
        if committee:
            row = Committee.objects.filter(code=committee).first()
            if row is None:
                raise CommandError(f"no committee with code {committee}")
            figures = evaluate_committee(row)
        else:
            figures = evaluate_generated(seed=seed)
        self.report(figures)

    def report(self, f: Figures) -> None:
        self.stdout.write(f"history: {f.history} proposals; held out: {f.held_out}")
        self.stdout.write(f"unit suggestion top-1: {f.top1:.1%}")
        self.stdout.write(f"unit suggestion top-3: {f.top3:.1%}")
        if f.precision_at_5 is not None:
            self.stdout.write(f"similar proposals precision@5: {f.precision_at_5:.3f}")
