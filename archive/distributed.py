"""Run a batch job's chunks on an existing Dask distributed cluster (``--dask-scheduler tcp://HOST:PORT``).

The client (this process) reads the input, submits chunks and commits them as
their futures complete, exactly as with local workers, so output and resume
guarantees are the same. The model travels inside a worker plugin, checked
against its SHA-256 and loaded once per worker (workers need not see the
client's disk); each task finds the loaded scorer through the plugin.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from classifier.artifact import read_card
from classifier.errors import ModelIntegrityError

from .runners import ChunkOutput, score_chunk
from .sources import Item

SCATTER_BYTES = 1024 * 1024  # chunks carrying more file bytes than this go to workers directly, not via the scheduler

try:  # the base class makes Dask call setup() on every worker, including ones that join later
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # distributed not installed: DaskRunner says so when used
    _PluginBase = object


class ScorerPlugin(_PluginBase):
    """Carries the artifact's bytes to each worker and loads the scorer there once."""

    def __init__(self, data: bytes, card: dict):
        self.data = data
        self.card = card
        self.scorer = None

    def setup(self, worker=None) -> None:
        import joblib

        from classifier.scorer import Scorer

        if hashlib.sha256(self.data).hexdigest() != self.card.get("artifact_sha256"):
            raise ModelIntegrityError("Mô hình gửi tới worker không khớp SHA-256 trong thẻ mô hình.",
                                      "model bytes on the worker do not match the card's SHA-256")
        bundle = joblib.load(io.BytesIO(self.data))
        self.scorer = Scorer(bundle["model"], bundle["model_version"], self.card)

    def __getstate__(self):
        return {"data": self.data, "card": self.card, "scorer": None}


def _dask_score(items: list[Item], plugin_name: str, max_file_bytes: int) -> ChunkOutput:
    from distributed import get_worker

    plugin = get_worker().plugins[plugin_name]
    if plugin.scorer is None:
        plugin.setup()
    return score_chunk(plugin.scorer, items, max_file_bytes)


class DaskRunner:
    """Submits chunks to the cluster at ``address``; one loaded model per worker."""

    def __init__(self, address: str, model_path: Path, model_sha: str, max_file_bytes: int, timeout: float = 30):
        from .job import JobError

        try:
            from distributed import Client
        except ImportError:
            raise JobError("Chưa cài dask[distributed].", "dask[distributed] is not installed") from None
        data = Path(model_path).read_bytes()
        card = read_card(Path(model_path))
        if hashlib.sha256(data).hexdigest() != model_sha:
            raise ModelIntegrityError("Mô hình thay đổi trong khi chạy.", "model file changed while the job started")
        try:
            self.client = Client(address, timeout=timeout)
        except (OSError, TimeoutError) as err:
            raise JobError(f"Không kết nối được cụm Dask tại {address}: {err}.",
                           f"cannot connect to the Dask scheduler at {address}: {err}") from None
        self.plugin_name = f"baocao-scorer-{model_sha[:16]}"
        self.client.register_plugin(ScorerPlugin(data, card), name=self.plugin_name)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.max_file_bytes = max_file_bytes

    def submit(self, items: list[Item]):
        payload = items
        if sum(len(i.data or b"") for i in items) > SCATTER_BYTES:
            payload = self.client.scatter([items], hash=False)[0]
        return self.client.submit(_dask_score, payload, self.plugin_name, self.max_file_bytes, pure=False)

    def wait_any(self, futures):
        from distributed import wait

        result = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(result.done), set(result.not_done)

    def close(self) -> None:
        self.client.close()
