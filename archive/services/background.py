"""A thread per process that does a pass of work when woken and every few seconds, and ends when
the app's state is closed: the search index updater and the replica copier are two of these."""

from __future__ import annotations

import threading


class PollingThread:
    """Subclasses set ``NAME`` and ``POLL_SECONDS`` and write ``_run``, which waits on ``_wake``
    (``_wake.wait(POLL_SECONDS)``) between passes and returns once ``stopped`` is true."""

    NAME = "poller"
    POLL_SECONDS = 5.0

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._lock = threading.Lock()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def start(self) -> None:
        """Start the thread (idempotent; never again once stopped)."""
        with self._lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name=self.NAME, daemon=True)
                self._thread.start()

    def notify(self) -> None:
        """Start if needed, and wake the thread for a pass now."""
        self.start()
        self._wake.set()

    def stop(self) -> None:
        """End the thread after its current pass (the state is being closed)."""
        with self._lock:
            self._stopped = True
            thread = self._thread
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    def _run(self) -> None:
        raise NotImplementedError
