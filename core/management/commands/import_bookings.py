import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core import intake


class _Raw:
    """The command's stderr as tqdm writes to it: without a line ending added to each write."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


@contextmanager
def _confirmations_sent_here():
    """Embedded mode keeps its broker in the web process's memory, out of this command's reach:
    the new bookings' confirmations are sent from here then, or they would be lost. (Services
    mode queues them for the worker as the API does.) Celery's line per task stays out of the
    way of the progress bar and the refusals."""
    from celery import current_app

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = eager or settings.EMBEDDED
    quiet = [logging.getLogger(name) for name in ("celery", "celery.app.trace", "kombu")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        current_app.conf.task_always_eager = eager
        for logger, level in zip(quiet, levels):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Create or replace the bookings in FILE: a JSON array, or NDJSON (one booking a line), "
        "of the documents POST /api/v1/bookings/bulk takes. Shows a progress bar, lists each "
        "refused booking with its fields, and stores the others; exits 1 if any was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bookings (- reads standard input)")
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar (e.g. for a log file)"
        )

    def handle(self, *args, file: str, no_progress: bool, **options) -> None:
        stream = self._open(file)
        try:
            documents, total = self._documents(stream, file)
            with _confirmations_sent_here():
                totals = self._import(documents, total, no_progress)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        self._report(totals)

    def _open(self, file: str) -> BinaryIO:
        if file == "-":
            return sys.stdin.buffer
        try:
            return open(file, "rb")  # closed in handle()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None

    def _documents(self, stream: BinaryIO, name: str) -> tuple[Iterator, int | None]:
        """(index, line, document) of each booking in the file, and how many there are."""
        head = stream.peek(64) if hasattr(stream, "peek") else b""
        if head.lstrip()[:1] == b"[":
            try:
                documents = json.load(stream)
            except ValueError as exc:
                raise CommandError(
                    f"{name} starts as a JSON array but is not valid JSON ({exc})"
                ) from None
            return ((i, None, d) for i, d in enumerate(documents)), len(documents)
        total = None
        if stream.seekable():
            total = sum(1 for line in stream if line.strip())
            stream.seek(0)
        return intake.ndjson_documents(stream), total

    def _import(self, documents: Iterator, total: int | None, no_progress: bool) -> dict:
        raw = _Raw(self.stderr)
        totals: dict[str, Any] = {"documents": 0, "passengers": 0, "started": time.monotonic()}
        statuses: list[int] = []
        with tqdm(
            total=total, unit=" bookings", file=raw, disable=no_progress, dynamic_ncols=True
        ) as bar:
            for batch in intake.batches(intake.items_check(documents)):
                intake.items_store(batch)
                for item in batch:
                    statuses.append(item.status)
                    if item.status in (200, 201):
                        totals["passengers"] += item.passengers
                    else:
                        tqdm.write(self._refusal(item), file=raw)
                bar.update(len(batch))
        totals.update(intake.counts(statuses))
        totals["documents"] = len(statuses)
        totals["seconds"] = time.monotonic() - totals.pop("started")
        return totals

    def _refusal(self, item: intake.Item) -> str:
        where = f"line {item.line}" if item.line else f"booking {item.index + 1}"
        if item.reference:
            where += f" ({item.reference})"
        lines = []
        for e in item.errors:
            if e["message"].startswith(f"{where} "):  # "line 3 is not valid JSON (…)"
                lines.append(e["message"])
            else:
                lines.append(f"{where}: {e['field'] + ': ' if e['field'] else ''}{e['message']}")
        return "\n".join(lines)

    def _report(self, t: dict) -> None:
        rate = t["passengers"] / t["seconds"] if t["seconds"] else 0
        self.stdout.write(
            f"{t['documents']:,} bookings read: {t['created']:,} created, {t['replaced']:,} "
            f"replaced, {t['refused']:,} refused, {t['failed']:,} not stored "
            f"({t['passengers']:,} passengers in {t['seconds']:.1f} s, {rate:,.0f} a second)"
        )
        if t["refused"] or t["failed"]:
            n = t["refused"] + t["failed"]
            raise CommandError(
                f"{n:,} {'booking was' if n == 1 else 'bookings were'} not stored (listed "
                "above); the others are"
            )
