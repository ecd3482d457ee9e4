"""A dask.distributed cluster on this machine, as separate processes: a scheduler and
``workers`` single-threaded workers (``--no-nanny``: a killed worker stays dead) on 127.0.0.1,
their Python given the repository on ``PYTHONPATH`` (the "install it on the workers" way).
Used by ``tests/test_cluster.py`` and ``scripts/bench_batch.py``."""

import contextlib
import json
import os
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = "/usr/bin/python3"


def _address(file, deadline):
    """The scheduler's address from its scheduler file, waiting until the file is whole: the
    scheduler writes it in place, so it can exist empty or half-written for a moment."""
    while True:
        try:
            return json.loads(file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Running(tuple):
    """(scheduler address, {worker name: Popen}), and ``scheduler``: the scheduler's Popen."""

    scheduler = None


@contextlib.contextmanager
def local_cluster(folder, workers=2, timeout=60, worker_command=None):
    """Yield ``Running`` (scheduler address, {worker name: Popen}; ``.scheduler``); every
    process is killed afterwards.

    ``folder``: where the scheduler file goes and the workers run. ``worker_command``: turns
    a worker's command line into the one to start (e.g. in a mount namespace of its own, as a
    machine that sees other files)."""
    import distributed

    folder = Path(folder)
    env = os.environ | {"PYTHONPATH": str(REPO)}
    started = []

    def start(module, *args, wrap=lambda command: command):
        command = wrap([PYTHON, "-m", f"distributed.cli.{module}", "--no-dashboard", *args])
        process = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        started.append(process)
        return process

    file = folder / "scheduler.json"
    scheduler = start("dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file",
                      str(file))  # fmt: skip
    names = [f"w{i}" for i in range(workers)]
    processes = {name: start("dask_worker", "--scheduler-file", str(file), "--no-nanny",
                             "--nthreads", "1", "--name", name,
                             wrap=worker_command or (lambda command: command))
                 for name in names}  # fmt: skip
    try:
        address = _address(file, time.monotonic() + timeout)
        with distributed.Client(address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=timeout)
        running = Running((address, processes))
        running.scheduler = scheduler
        yield running
    finally:
        for process in started:
            process.kill()
            process.wait()
