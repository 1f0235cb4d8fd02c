"""What a committee configures in consultations (core.committee_settings),
imported from ConsultationsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lvzhi.consultations.models import ConsultationFormat
from lvzhi.core.committee_settings import LINES, define_setting
from lvzhi.core.errors import ValidationFailed


def _known_formats(value: Any) -> None:
    unknown = [str(v) for v in value if v not in ConsultationFormat.values]
    if unknown:
        raise ValidationFailed(
            gettext("Unknown consultation format: %(formats)s") % {"formats": "、".join(unknown)}
        )


# Which meetings are 大会发言-type: a member's speech there is a plenary
# speech (its own duty kind); at any other format it counts as taking part.
PLENARY_SPEECH_FORMATS = define_setting(
    "consultations.plenary_speech_formats",
    kind=LINES,
    default=[ConsultationFormat.STANDING_MEETING.value],
    label=_("Formats whose speeches count as plenary speeches"),
    help_text=_(
        "A member's speech at one of these counts as a plenary speech; at any other "
        "format it counts as taking part in the consultation."
    ),
    permission="consultations.configure",
    validate=_known_formats,
)
