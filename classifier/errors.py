"""Errors users see: each carries a Vietnamese message and an English one."""
from __future__ import annotations


class BaocaoError(Exception):
    """Base error; ``code`` is stable for programs, ``message_vi``/``message_en`` for people."""

    code = "error"

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.message_vi} ({self.message_en})"

    def __reduce__(self):
        # pickled by (message_vi, message_en), so errors cross process boundaries (worker pools, Dask)
        return (self.__class__, (self.message_vi, self.message_en))

    def to_dict(self) -> dict:
        """The ``error`` object of a result row."""
        return {"code": self.code, "message": self.message_vi, "message_en": self.message_en}


class EmptyDocumentError(BaocaoError):
    code = "empty_text"


class UnreadableInputError(BaocaoError):
    code = "unreadable"


class InvalidRecordError(BaocaoError):
    code = "invalid_json"


class UnsupportedFormatError(BaocaoError):
    code = "unsupported_format"


class InputTooLargeError(BaocaoError):
    code = "too_large"


class ContentLimitError(InputTooLargeError):
    """A file within the size limit whose content exceeds a reading limit (docx expansion, PDF pages)."""

    code = "content_limit"


class ModelIntegrityError(BaocaoError):
    code = "model_integrity"


class ModelNotFoundError(BaocaoError):
    code = "model_not_found"


class DuplicateIdError(BaocaoError):
    """A later input row with an id already used: the first occurrence is scored, this one is not."""

    code = "duplicate_id"


class ScoringError(BaocaoError):
    """An unexpected failure while scoring one document; the job records it and goes on."""

    code = "scoring_failed"
