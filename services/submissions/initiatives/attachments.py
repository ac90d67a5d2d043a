"""Attachments kept on disk beside their initiative, with size and type limits.

The type is decided by the file's first bytes, not by what the client claims, so a renamed
executable is refused however it is labelled.
"""

import hashlib
from pathlib import Path
from uuid import UUID, uuid4

from shared.refusals import Kind, Refusal

# Kinds officers attach: documents, spreadsheets, scans and photos.
_SIGNATURES: tuple[tuple[bytes, str, frozenset[str]], ...] = (
    (b"%PDF-", "application/pdf", frozenset({".pdf"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({".png"})),
    (b"\xff\xd8\xff", "image/jpeg", frozenset({".jpg", ".jpeg"})),
    # Office Open XML files are ZIP archives.
    (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument",
        frozenset({".docx", ".xlsx", ".pptx"}),
    ),
)


def detect_type(filename: str, data: bytes) -> str:
    suffix = Path(filename).suffix.lower()
    for magic, content_type, suffixes in _SIGNATURES:
        if data.startswith(magic) and suffix in suffixes:
            return content_type
    allowed = ", ".join(sorted(s for _, _, group in _SIGNATURES for s in group))
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
        limit_mb = max_bytes // (1024 * 1024)
        raise Refusal(
            Kind.too_large,
            "file",
            "file_too_large",
            f"Tệp vượt quá dung lượng cho phép ({limit_mb} MB)",
            f"The file is larger than allowed ({limit_mb} MB)",
        )


def store(root: Path, initiative_id: UUID, data: bytes) -> tuple[str, str]:
    """Write the file; return (storage key, sha256). The key never contains the client's name."""
    key = f"{initiative_id}/{uuid4().hex}"
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key, hashlib.sha256(data).hexdigest()
