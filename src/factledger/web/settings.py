"""Settings of the web app, declared once as (name, environment variable, default, help).

``factledger serve`` options override the environment. Secrets (the API token) are read
from the environment only, never from the command line (it shows in ``ps``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SETTINGS: tuple[tuple[str, str, str, str], ...] = (
    ("db", "FACTLEDGER_DB", "factledger.db", "The ledger to serve (must exist)."),
    (
        "api_token",
        "FACTLEDGER_API_TOKEN",
        "",
        "Token that writes (POST /api/articles, POST /api/aliases) need, sent as "
        "'Authorization: Bearer TOKEN'. Unset: writes are refused.",
    ),
    (
        "private",
        "FACTLEDGER_PRIVATE",
        "0",
        "1: reads need the token too (pages and JSON); 0 (default): reads are open.",
    ),
    (
        "time_limit",
        "FACTLEDGER_TIME_LIMIT",
        "60",
        "Time budget in seconds per article POSTed to /api/articles (as `factledger ingest "
        "--time-limit`); an article over it gets 422 naming the budget. 0: no limit.",
    ),
    (
        "tile_url",
        "FACTLEDGER_TILE_URL",
        "",
        "A map tile URL template (e.g. https://tile.example.org/{z}/{x}/{y}.png) drawn under the "
        "offline country outlines. Unset (default): no tile server is contacted.",
    ),
    (
        "tile_attribution",
        "FACTLEDGER_TILE_ATTRIBUTION",
        "",
        "Attribution text shown on the map for the tile server.",
    ),
)


@dataclass(frozen=True)
class WebSettings:
    db: str = "factledger.db"
    api_token: str = ""
    private: bool = False
    time_limit: float = 60.0
    tile_url: str = ""
    tile_attribution: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> WebSettings:
        """Settings from the environment (``os.environ`` by default), then ``overrides``
        (None values are ignored)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for name, var, default, _help in SETTINGS:
            raw = env.get(var, default)
            if name == "private":
                values[name] = raw.strip().lower() in ("1", "true", "yes")
            elif name == "time_limit":
                try:
                    values[name] = float(raw)
                except ValueError:
                    raise ValueError(f"{var}={raw!r} is not a number of seconds") from None
                if not values[name] >= 0:  # also refuses nan
                    raise ValueError(f"{var}={raw!r} is negative")
            else:
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
