"""baocao's scoring library: is a Vietnamese report vague, does it state a position, does it propose?

Public API::

    from classifier import load_scorer
    scorer = load_scorer()            # default model, or load_scorer("path/to/model.joblib")
    result = scorer.score(text)       # Result; result.to_dict() is the JSON result object
    results = scorer.score_many(texts)
"""
from .document import ParsedDocument, parse
from .errors import BaocaoError
from .explain import Evidence, Result, verdict_for
from .model import LABELS, ReportClassifier
from .scorer import Scorer, load_scorer
from .text import Text, normalize

__all__ = ["load_scorer", "Scorer", "Result", "Evidence", "ReportClassifier", "LABELS", "parse",
           "ParsedDocument", "normalize", "Text", "verdict_for", "BaocaoError"]
__version__ = "0.1.0"
