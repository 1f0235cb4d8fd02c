"""Scheme files: every shipped preset reads, writes back and reads again to
the same scheme; a bad file is refused with every error located by its path
in the file, in Chinese."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

from lvzhi.core.errors import ValidationFailed
from lvzhi.points import presets, schemefile


@pytest.mark.parametrize("code", list(presets.PRESET_SCHEMES))
def test_export_then_import_gives_the_same_scheme(code):
    scheme = schemefile.load(presets.scheme_preset(code))
    document = schemefile.dump(scheme)
    # Through text, as a file travels between offices.
    again = schemefile.load(json.loads(json.dumps(document, ensure_ascii=False)))
    assert again == scheme
    assert schemefile.dump(again) == document


def test_exact_fractions_survive_the_round_trip():
    document = presets.scheme_preset("tongcheng-2019")
    document["kinds"][0]["points"] = "100/3"
    scheme = schemefile.load(document)
    assert scheme.kinds[0].points == Fraction(100, 3)
    assert schemefile.dump(scheme)["kinds"][0]["points"] == "100/3"


def errors_of(document) -> dict[str, str]:
    """The refused file's errors by path (the message after the path is the
    translated text, checked in the catalogue, not here)."""
    with pytest.raises(ValidationFailed) as caught:
        schemefile.load(document)
    errors = caught.value.errors or [str(caught.value)]
    located = dict(e.split("：", 1) for e in errors)
    assert all(located.values())
    return located


def test_a_file_that_is_not_an_object_is_refused():
    with pytest.raises(ValidationFailed):
        schemefile.load([1, 2])


def test_every_error_is_located_by_its_path():
    document = copy.deepcopy(presets.scheme_preset("anqing-2018"))
    document["format"] = "other"
    document["categories"][1]["part"] = "nowhere"
    document["kinds"][2]["points"] = "五分"
    document["kinds"][3]["count"] = {"from": 0}
    document["kinds"][4]["roles"] = {"lead": 2}
    document["kinds"][5]["events"] = ["standing_absent"]
    document["grades"][1]["from"] = 95
    document["vetoes"][0]["cap_grade"] = "worst"
    del document["kinds"][6]["label"]
    assert set(errors_of(document)) == {
        "format",
        "categories[1].part",
        "kinds[2].points",
        "kinds[3].count.from",
        "kinds[4].roles.lead",
        "kinds[5].events[0]",
        "kinds[6].label",
        "grades[1].from",
        "vetoes[0].cap_grade",
    }


def test_codes_must_be_unique_and_references_must_exist():
    document = copy.deepcopy(presets.scheme_preset("default"))
    document["kinds"][1]["code"] = document["kinds"][0]["code"]
    document["kinds"][2]["year_of"] = "no_such_event"
    document["requirement_sets"][0]["items"][0]["kinds"] = ["nothing"]
    assert set(errors_of(document)) == {
        "kinds[1].code",
        "kinds[2].year_of",
        "requirement_sets[0].items[0].kinds[0]",
    }


def test_wrong_types_and_ranges_are_named():
    document = copy.deepcopy(presets.scheme_preset("hefei-2015"))
    document["parts"] = "all"
    document["places"] = 9
    document["kinds"][0]["points"] = True
    document["kinds"][1]["positions"] = {"standing": "x"}
    document["categories"][0]["tiers"] = [{"at_least": 0, "points": 1}]
    assert set(errors_of(document)) == {
        "parts",
        "places",
        "kinds[0].points",
        "kinds[1].positions.standing",
        "categories[0].tiers[0].at_least",
        # The categories now name a part that is not there.
        "categories[0].part",
        "categories[1].part",
        "categories[2].part",
        "categories[3].part",
    }
