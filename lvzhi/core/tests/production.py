"""Read settings as production computes them (``HTTPS=1``), in a fresh
interpreter: lvzhi/settings.py decides at import time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


def production_settings(*names: str, **env: str) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if k not in {"REQUIRE_TOTP", "HTTPS"}}
    code = (
        "import json; from lvzhi import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "HTTPS": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))
