"""The loaded model's card: version, SHA-256, data, thresholds and measured metrics."""
from __future__ import annotations

from fastapi import APIRouter

from ..dependencies import ScorerDep
from ..schemas import ModelCard

router = APIRouter(tags=["model"])


@router.get("/model", response_model=ModelCard, summary="Model card of the model this service scores with")
async def model_card(scorer: ScorerDep) -> dict:
    return scorer.card
