"""``factledger serve``: the dashboard and JSON API (loaded only when used)."""

from __future__ import annotations

from pathlib import Path

import click

from ..store.sqlite import DEFAULT_PATH


@click.command("serve")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_PATH, show_default=True,
              help="The SQLite ledger to serve (must exist).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--private", is_flag=True, default=None,
              help="Reads need the API token too (env FACTLEDGER_PRIVATE=1).")
@click.option("--tile-url", metavar="TEMPLATE", default=None,
              help="Map tiles to draw under the offline outlines, e.g. https://tile.example.org/{z}/{x}/{y}.png "
              "(env FACTLEDGER_TILE_URL; default: none, the map works offline).")
def serve_command(db: str, host: str, port: int, private: bool | None, tile_url: str | None) -> None:
    """Serve the dashboard and the JSON API of a ledger.

    Pages: overview, events (map and timeline), figures, people and organisations,
    sources, articles; each page has a JSON twin (/events and /events.json), and the
    OpenAPI document is at /openapi.json (browse it at /docs). Reads are open unless
    --private; writes (POST /api/articles, POST /api/aliases) need the token in
    FACTLEDGER_API_TOKEN, sent as 'Authorization: Bearer TOKEN'. Every asset is served
    from the package: no request leaves the machine unless --tile-url is given.

    Example:

    \b
        factledger serve --db ledger.db --port 8000
        FACTLEDGER_API_TOKEN=s3cret factledger serve --db ledger.db --host 0.0.0.0
    """
    try:
        import uvicorn

        from .app import create_app
        from .settings import WebSettings
    except ImportError as exc:
        raise click.ClickException(
            f"the web extra is not installed ({exc.name} is missing): pip install 'factledger[web]'"
        ) from exc
    if not Path(db).is_file():
        raise click.ClickException(f"no ledger at {db}; create one with `factledger ingest PATH --db {db}`")
    try:  # a bad setting in the environment is a ValueError naming it
        app = create_app(WebSettings.from_env(db=db, private=private, tile_url=tile_url))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"serving {db} on http://{host}:{port}/ (API docs at /docs); Ctrl-C to stop", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
