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
