"""Background work of imports: one thread pool per app, so no request waits for a large file.
A reading job reads the file (progress saved at most twice a second), plans the rows against
the stored records and leaves the batch `ready`, or `failed` with a message. A commit or undo
job writes an accepted request (geo.intake.batch_requests) in one transaction; its progress is
kept in memory (the batch row is locked meanwhile). Requests left by a stopped server are run
again when the app starts (`resume`)."""

from __future__ import annotations

import logging
import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import TransactionSource
from geo.core.errors import KcmapError
from geo.core.settings import IntakeSettings
from geo.intake import batch_requests
from geo.intake.batch_flow import preview_batch
from geo.intake.batches import NEEDS, fail_batch, set_progress
from geo.intake.importer import read_file
from geo.intake.need_batch import preview_needs
from geo.intake.need_read import read_needs
from geo.intake.results import MissingColumns, Progress
from geo.records.kinds import RecordKind

log = logging.getLogger("kcmap")
WORKERS = 2
PROGRESS_SECONDS = 0.5
READ_SHARE = 0.9  # of the progress bar: reading and geocoding; the rest is planning


@dataclass(frozen=True)
class ImportJob:
    """What a background import reads: a saved upload and how to read it."""

    batch_id: int
    actor: Actor
    kind: str  # a record kind's name or batches.NEEDS
    path: Path  # the upload, in its own temporary folder (removed afterwards)
    file_name: str
    sheet: str | None
    mapping: dict[str, str] | None


class ImportJobs:
    """The app's import thread pool."""

    def __init__(self, database: TransactionSource, limits: IntakeSettings | None = None
                 ) -> None:
        self.database = database
        self.limits = limits or IntakeSettings()
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="kcmap-import")
        self.futures: dict[int, Future[None]] = {}
        self.writing: dict[int, float] = {}  # batch id -> progress of its commit or undo

    def submit(self, job: ImportJob) -> None:
        """Start reading a batch's file."""
        self.futures[job.batch_id] = self.pool.submit(self._run, job)

    def submit_request(self, batch_id: int) -> None:
        """Start the commit or undo accepted for a batch."""
        self.writing[batch_id] = 0.0
        self.futures[batch_id] = self.pool.submit(self._write, batch_id)

    def progress(self, batch_id: int) -> float | None:
        """How far this app's commit or undo of a batch is, if one runs here."""
        return self.writing.get(batch_id)

    def resume(self) -> None:
        """Run again the commits and undos accepted before the server stopped."""
        try:
            with self.database.transaction() as conn:
                waiting = batch_requests.pending(conn)
        except KcmapError as exc:  # no database yet: nothing can be waiting on this start
            log.warning("could not look for import batches waiting to be written: %s", exc)
            return
        except Exception:
            log.exception("could not look for import batches waiting to be written")
            return
        for batch_id in waiting:
            self.submit_request(batch_id)

    def _write(self, batch_id: int) -> None:
        def tell(fraction: float) -> None:
            self.writing[batch_id] = fraction

        try:
            with self.database.transaction() as conn:
                batch_requests.run_request(conn, batch_id, tell)
        except KcmapError as exc:
            self._abandon(batch_id, f"Không ghi được lô {batch_id}: {exc}")
        except Exception:
            log.exception("import batch %s: commit or undo failed", batch_id)
            self._abandon(batch_id, f"Lỗi máy chủ khi ghi lô {batch_id}: chưa ghi gì, "
                                    "hãy thử lại")
        finally:
            self.writing.pop(batch_id, None)

    def _abandon(self, batch_id: int, message: str) -> None:
        try:
            with self.database.transaction() as conn:
                batch_requests.abandon_request(conn, batch_id, message)
        except Exception:
            log.exception("could not put import batch %s back", batch_id)

    def wait(self, batch_id: int, timeout: float | None = None) -> None:
        """Wait for a batch's job (tests, CLI)."""
        future = self.futures.get(batch_id)
        if future is not None:
            future.result(timeout)

    def _progress(self, batch_id: int) -> Progress:
        last = [0.0]

        def update(done: int, total: int | None) -> None:
            now = time.monotonic()
            if not total or now - last[0] < PROGRESS_SECONDS:
                return
            last[0] = now
            with self.database.transaction() as conn:
                set_progress(conn, batch_id, READ_SHARE * min(1.0, done / total))

        return update

    def _run(self, job: ImportJob) -> None:
        try:
            if job.kind == NEEDS:
                self._read_needs(job)
                return
            with self.database.transaction() as conn:
                result, records = read_file(
                    conn, RecordKind(job.kind), job.path, sheet=job.sheet, mapping=job.mapping,
                    progress=self._progress(job.batch_id),
                    limits=self.limits, file_name=job.file_name)
            result.batch_id = job.batch_id
            with self.database.transaction() as conn:
                preview_batch(conn, job.actor, job.batch_id, result, records)
        except MissingColumns as exc:
            self._fail(job, f"Không nhập được tệp {job.file_name}: {exc}",
                       {"columns": exc.columns, "sheets": exc.sheets})
        except KcmapError as exc:
            self._fail(job, f"Không nhập được tệp {job.file_name}: {exc}")
        except Exception:
            log.exception("import batch %s failed", job.batch_id)
            self._fail(job, f"Lỗi máy chủ khi đọc tệp {job.file_name}")
        finally:
            shutil.rmtree(job.path.parent, ignore_errors=True)

    def _read_needs(self, job: ImportJob) -> None:
        with self.database.transaction() as conn:
            result, needs = read_needs(conn, job.actor, job.path, sheet=job.sheet,
                                       mapping=job.mapping,
                                       progress=self._progress(job.batch_id),
                                       limits=self.limits, file_name=job.file_name)
        result.batch_id = job.batch_id
        with self.database.transaction() as conn:
            preview_needs(conn, job.actor, job.batch_id, result, needs)

    def _fail(self, job: ImportJob, message: str, report: dict[str, Any] | None = None
              ) -> None:
        try:
            with self.database.transaction() as conn:
                fail_batch(conn, job.batch_id, message, report)
        except Exception:
            log.exception("could not mark import batch %s failed", job.batch_id)
