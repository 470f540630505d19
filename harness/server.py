"""Start and stop ``streamlit run streamlit_app.py`` on a data folder; read its log and memory.

Every server started here listens on 127.0.0.1 on a port the OS picks, runs headless with
the file watcher off (one snapshot of the code per run: a colleague's edit mid-run must not
mix a new script with already imported modules) and writes its output to a log file, so a
test can assert that it printed no traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["APP", "ROOT", "RssSampler", "StreamlitServer", "cpu_seconds", "free_port",
           "log_errors", "rss_kib", "start_streamlit", "upstream_disconnects"]

#: The repository root.
ROOT = Path(__file__).resolve().parents[1]
#: The dashboard's front door.
APP = ROOT / "streamlit_app.py"
_ERROR = re.compile(r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now (the OS picks it).

    Examples
    --------
    >>> 0 < free_port() < 65536
    True
    """
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Where one log entry starts: Streamlit's timestamped lines and uvicorn's ASGI reports.
_ENTRY = re.compile(r"^(?:\d{4}-\d{2}-\d{2} \d|Exception in ASGI application)", re.M)
#: Streamlit 1.67's WebSocket endpoint on Starlette: when a browser tab goes away while
#: the server reads its socket, Starlette raises ``WebSocketDisconnected`` (a
#: ``RuntimeError``), which the endpoint mistakes for a text frame and answers with
#: ``websocket.close()`` on the closed socket (streamlit/web/server/starlette/
#: starlette_websocket.py, ``_websocket_endpoint``). The tab is gone; no user sees it.
_UPSTREAM_CLOSE = re.compile(
    r"_websocket_endpoint[\s\S]*(?:Need to call \"accept\" first|once a close message "
    r"has been sent)")


def _entries(text: str) -> list[str]:
    starts = [m.start() for m in _ENTRY.finditer(text)]
    bounds = [0, *starts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b]]


def upstream_disconnects(text: str) -> int:
    r"""Count the log's tracebacks of Streamlit's closed-socket race (see ``_UPSTREAM_CLOSE``).

    Examples
    --------
    >>> upstream_disconnects("Exception in ASGI application\nTraceback (most recent call "
    ...     "last):\n  in _websocket_endpoint\nWebSocketDisconnected: Cannot call \"send\" "
    ...     "once a close message has been sent.\n")
    1
    """
    return sum(1 for entry in _entries(text) if _UPSTREAM_CLOSE.search(entry))


def log_errors(text: str) -> list[str]:
    r"""Return the lines of a server log that report a traceback or an error.

    A traceback of Streamlit's own closed-socket race when a tab goes away
    (:func:`upstream_disconnects`) is counted there instead: it is not the dashboard's.

    Examples
    --------
    >>> log_errors("You can now view your Streamlit app\nTraceback (most recent call last):\n"
    ...            "ValueError: bad\n  Local URL: http://127.0.0.1:1")
    ['Traceback (most recent call last):', 'ValueError: bad']
    >>> log_errors("  Local URL: http://127.0.0.1:8501")
    []
    >>> log_errors("Exception in ASGI application\nTraceback (most recent call last):\n"
    ...            "  in _websocket_endpoint\nWebSocketDisconnected: WebSocket is not "
    ...            'connected. Need to call "accept" first.\n')
    []
    """
    return [line for entry in _entries(text) if not _UPSTREAM_CLOSE.search(entry)
            for line in entry.splitlines() if _ERROR.search(line)]


@dataclass
class StreamlitServer:
    """A running ``streamlit run`` child process.

    Attributes
    ----------
    url : str
        Base URL, ``http://127.0.0.1:<port>``.
    process : subprocess.Popen
        The child (stop it with :meth:`stop`: only this process, by its pid).
    log : pathlib.Path
        Its stdout and stderr.
    """

    url: str
    process: subprocess.Popen
    log: Path
    _owned_log: bool = field(default=False, repr=False)
    _log_text: str | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def log_text(self) -> str:
        """Everything the server printed so far."""
        if self._log_text is not None:
            return self._log_text
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def errors(self) -> list[str]:
        """Traceback and error lines the server printed (see :func:`log_errors`)."""
        return log_errors(self.log_text())

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Terminate (then kill) the server; a log made for it is read, then removed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self._owned_log and self._log_text is None:
            self._log_text = self.log_text()
            with contextlib.suppress(OSError):
                self.log.unlink()


def start_streamlit(data_dir: Path | None = None, *, log: Path | None = None,
                    timeout: float = 90.0, poll: float = 0.25,
                    port: int | None = None) -> StreamlitServer:
    """Start the dashboard headless on 127.0.0.1 and wait until ``/_stcore/health`` answers.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        ``FRONTLINE_DATA_DIR`` for the server (default: the shipped data/).
    log : pathlib.Path, optional
        Where its output goes (default: a temporary file removed by ``stop()``).
    timeout, poll : float
        Seconds to wait for the server, and between two health checks.
    port : int, optional
        Default: :func:`free_port`.

    Raises
    ------
    RuntimeError
        The server exited, or did not answer within ``timeout`` (it is stopped first).
    """
    port = port or free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if data_dir is not None:
        env["FRONTLINE_DATA_DIR"] = str(data_dir)
    owned = log is None
    if owned:
        fd, name = tempfile.mkstemp(prefix="frontline-streamlit-", suffix=".log")
        os.close(fd)
        log = Path(name)
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    server = StreamlitServer(f"http://127.0.0.1:{port}", proc, log, owned)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = server.log_text()[-2000:]
            server.stop()
            raise RuntimeError(f"streamlit exited with code {proc.returncode}: {tail}")
        with contextlib.suppress(OSError), urllib.request.urlopen(
                f"{server.url}/_stcore/health", timeout=2) as resp:
            if resp.status == 200:
                return server
        time.sleep(poll)
    server.stop()
    raise RuntimeError(f"streamlit did not answer on {server.url} within {timeout} s")


def rss_kib(pid: int) -> int:
    """Return the resident set size of ``pid`` in KiB (``VmRSS`` in ``/proc/<pid>/status``).

    Raises
    ------
    RuntimeError
        The status file has no ``VmRSS`` line (a zombie).

    Examples
    --------
    >>> rss_kib(os.getpid()) > 0
    True
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time of ``pid`` so far (``/proc/<pid>/stat``), in seconds.

    Examples
    --------
    >>> cpu_seconds(os.getpid()) > 0
    True
    """
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    """Samples a process's RSS (KiB) every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, pid: int, interval: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[int] = []
        self._halt = threading.Event()

    def run(self) -> None:
        """Sample until stopped (a vanished process just stops adding samples)."""
        while not self._halt.is_set():
            with contextlib.suppress(OSError, RuntimeError):
                self.samples.append(rss_kib(self.pid))
            self._halt.wait(self.interval)

    def stop(self) -> list[int]:
        """Stop sampling; return the samples."""
        self._halt.set()
        self.join(timeout=5)
        return self.samples
