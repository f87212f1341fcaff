"""Shared fixtures: one model trained per test session from data/samples (seconds), reused everywhere."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """(card, model_path): the default model trained from the repository's data into a temp folder."""
    from training.train import train

    out = tmp_path_factory.mktemp("model") / "baocao.joblib"
    card = train(out=out, seed=0, log=lambda *_: None)
    return card, out


@pytest.fixture(scope="session")
def scorer(trained):
    from classifier import load_scorer

    return load_scorer(trained[1])


@pytest.fixture(scope="session")
def model_env(trained):
    """Environment for subprocesses that must use the session's model."""
    env = dict(os.environ)
    env["BAOCAO_MODEL"] = str(trained[1])
    return env


@pytest.fixture
def api_settings(trained, tmp_path):
    """Service settings for tests: the session's model, a fresh feedback database, no API key, scoring in a
    thread (starting scoring processes costs seconds per app; test_api_batcher.py tests them)."""
    from api.settings import Settings

    return Settings(model=trained[1], db_path=tmp_path / "feedback.sqlite3", api_key=None, scoring_processes=0)


@pytest.fixture
def client(api_settings):
    """TestClient with the lifespan run (model loaded and verified as at start-up)."""
    from fastapi.testclient import TestClient

    from api.main import create_app

    with TestClient(create_app(api_settings)) as test_client:
        yield test_client
