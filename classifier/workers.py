"""Set-up shared by every process that scores on behalf of another: archive workers and the service's scorers."""
from __future__ import annotations

import os
import threading
import time


def _exit_when_gone(parent: int) -> None:
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid now belongs to another user's process: ours is gone
            os._exit(1)


def init_worker_process(parent: int) -> None:
    """End this process when ``parent`` is gone (killed with SIGKILL, no chance to shut its pool down), so no
    orphan keeps a model in memory; and one BLAS/OpenMP thread, since the processes are the parallelism and
    N processes x N threads only contend."""
    threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True, name="exit-with-parent").start()
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass
