"""A bounded pool for POST /api/analyze: few analyses at once, each awaited at most so long.

Analysis is CPU work that can take seconds, so it runs on its own threads (never the event loop, never the
thread pool the read endpoints share). The pool holds ``workers`` slots: a request finding them all taken
is refused at once (:class:`PoolBusy`) rather than queued. A request whose analysis outlives the timeout
is answered (:class:`PoolTimeout`) and its caller freed; Python cannot kill a thread, so the analysis
itself runs on to its end (the body limit bounds how long) and keeps its slot until then — the cap stays
true even for abandoned work.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")


class PoolBusy(Exception):
    """Every analysis slot is taken."""


class PoolTimeout(Exception):
    """The analysis did not finish within the pool's timeout."""


class AnalysisPool:
    def __init__(self, workers: int, timeout_s: float) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(workers)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tidings-analyze")

    async def run(self, job: Callable[[], Result]) -> Result:
        """``job()``'s result, or PoolBusy at once, or PoolTimeout after timeout_s; job's own errors pass."""
        if not self._slots.acquire(blocking=False):
            raise PoolBusy(f"{self.workers} analyses are already running")
        try:
            future: Future[Result] = self._executor.submit(job)
        except BaseException:
            self._slots.release()
            raise
        # The slot frees when the job really ends, not when its caller stops waiting.
        future.add_done_callback(lambda _done: self._slots.release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout_s)
        except TimeoutError:
            raise PoolTimeout(f"the analysis took longer than {self.timeout_s:g} s") from None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
