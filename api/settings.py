"""Service settings, read once from ``BAOCAO_*`` environment variables (README, "Settings")."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from classifier.artifact import PROJECT_ROOT, default_model_path
from classifier.readers import MAX_FILE_BYTES
from classifier.scorer import MAX_CHARS

DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "feedback.sqlite3"


def default_scoring_processes() -> int:
    """One scoring process per core when there is more than one core (api/scoring_pool.py says why)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if cores > 1 else 0


class Settings(BaseSettings):
    """Every limit the service enforces, with the defaults the README documents.

    ``model`` reads ``BAOCAO_MODEL``, the same variable the library and CLI use,
    so one model path serves all three.
    """

    model_config = SettingsConfigDict(env_prefix="BAOCAO_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    model: Path = Field(default_factory=default_model_path)
    max_text_chars: int = Field(MAX_CHARS, ge=1, le=MAX_CHARS)
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024)
    max_file_bytes: int = Field(MAX_FILE_BYTES, ge=1024)
    max_batch: int = Field(100, ge=1)
    api_key: SecretStr | None = None
    db_path: Path = DEFAULT_DB_PATH
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    micro_batch: bool = True  # POST /v1/score through api.batcher (False: one threadpool call per request)
    # processes that score micro-batches, each with its own copy of the model (0: a thread of this process)
    scoring_processes: int = Field(default_factory=lambda: default_scoring_processes(), ge=0, le=64)
    # most documents one micro-batch holds: with 2 scoring processes, 16 clients, p99 100 ms at 4 against 167 at 32
    micro_batch_docs: int = Field(4, ge=1, le=100)

    @field_validator("api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value):
        """``BAOCAO_API_KEY=`` (empty) means no key, never "the empty string is the key"."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value
