"""Attachments kept on disk beside their initiative, with size and type limits.

The type is decided by the file's first bytes, not by what the client claims, so a renamed
executable is refused however it is labelled.
"""

import hashlib
from fractions import Fraction
from pathlib import Path
from uuid import UUID, uuid4

from services.submissions.spreadsheet_reading import ZIP_MAGIC
from shared.contracts.bounds import ATTACHMENT_KINDS
from shared.formatting import format_number
from shared.refusals import Kind, Refusal

# How each kind's file begins (ATTACHMENT_KINDS says which kinds, and their names).
MAGIC: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "application/vnd.openxmlformats-officedocument": ZIP_MAGIC,
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}


def detect_type(filename: str, data: bytes) -> str:
    suffix = Path(filename).suffix.lower()
    for content_type, suffixes in ATTACHMENT_KINDS.items():
        if data.startswith(MAGIC[content_type]) and suffix in suffixes:
            return content_type
    allowed = ", ".join(sorted(s for group in ATTACHMENT_KINDS.values() for s in group))
    raise Refusal(
        Kind.unsupported,
        "file",
        "unsupported_type",
        f"Loại tệp không được chấp nhận; chỉ nhận: {allowed}",
        f"File type not accepted; allowed: {allowed}",
    )


def check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise Refusal(Kind.invalid, "file", "empty_file", "Tệp rỗng", "The file is empty")
    if len(data) > max_bytes:
        # A setting's bound need not be whole megabytes: 512 KB is 0,5 MB, not 0 MB.
        limit_mb = Fraction(max_bytes, 1024 * 1024)
        raise Refusal(
            Kind.too_large,
            "file",
            "file_too_large",
            f"Tệp vượt quá dung lượng cho phép ({format_number(limit_mb, 1, 'vi')} MB)",
            f"The file is larger than allowed ({format_number(limit_mb, 1, 'en')} MB)",
        )


def store(root: Path, initiative_id: UUID, data: bytes) -> tuple[str, str]:
    """Write the file; return (storage key, sha256). The key never contains the client's name."""
    key = f"{initiative_id}/{uuid4().hex}"
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key, hashlib.sha256(data).hexdigest()
