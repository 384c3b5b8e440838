"""manage.py cache_audit: random editorial changes, each followed by a comparison of every cached page with a fresh
render (comments/audit.py). Exits non-zero when any page was stale. Changes the data: run it on a copy."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from comments.audit import run_audit


class Command(BaseCommand):
    help = (
        "Make random editorial changes (publish, schedule, edit, unpublish, withdraw, moderate comments, rename "
        "authors, sections and tags, add corrections) and after each compare every cached public page with a fresh "
        "render, in the application's page cache and, with --edge, through Varnish. CHANGES THE DATABASE: run it on "
        "a test or staging copy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--changes", type=int, default=100, help="How many changes to make (default 100).")
        parser.add_argument("--seed", type=int, help="Seed of the random choices, to repeat a run (default: the time).")
        parser.add_argument(
            "--host", default="localhost", help="Host name the pages are asked for (one of DJANGO_ALLOWED_HOSTS)."
        )
        parser.add_argument(
            "--edge",
            default="",
            help="Address of a Varnish in front of this site's server (e.g. http://127.0.0.1:6081): pages are also "
            "compared as it serves them. The server behind it must use this database and purge that Varnish.",
        )
        parser.add_argument(
            "--max-stories",
            type=int,
            help="Delete a story rather than write a new one once the site has this many (default: no limit). Each "
            "change costs a render of every page, so a long run on a small copy stays quick.",
        )

    def handle(
        self, *args, changes: int, seed: int | None, host: str, edge: str, max_stories: int | None, **options
    ) -> None:
        if not settings.NEWSROOM_PAGE_CACHE:
            raise CommandError("NEWSROOM_PAGE_CACHE is off: there is no page cache to audit.")
        if changes < 1:
            raise CommandError("--changes must be at least 1.")
        seed = int(time.time()) if seed is None else seed
        self.stdout.write(f"Cache audit: {changes} changes, seed {seed}{f', through {edge}' if edge else ''}.")
        started = time.monotonic()
        report = run_audit(
            changes=changes, seed=seed, host=host, edge_url=edge, out=self.stdout, max_stories=max_stories
        )
        self.stdout.write(
            f"{len(report.changes)} changes, {report.pages_compared} cached pages compared in "
            f"{time.monotonic() - started:.0f} s, {len(report.stale)} stale."
        )
        if report.stale:
            raise CommandError(f"{len(report.stale)} stale pages (seed {seed}).")
