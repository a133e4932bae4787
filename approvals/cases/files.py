"""Uploaded materials: type by content, size limits, storage under a generated name.

The client's file name is kept for display only and never used in a path; the stored name is a
UUID with the extension of the *detected* type. Accepted types, recognised by their magic bytes:
PDF (``%PDF-``), JPEG (``FF D8 FF``), PNG (``89 50 4E 47 0D 0A 1A 0A``) and OFD (a ZIP container
holding ``OFD.xml``, GB/T 33190). Limits: ``MAX_UPLOAD_BYTES`` per file and
``MAX_CASE_UPLOAD_BYTES`` per case (every stored version counts, history included).
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from approvals.cases.exceptions import coded

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_CASE_UPLOAD_BYTES = 200 * 1024 * 1024
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "ofd": "ofd"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_case_upload_bytes() -> int:
    return int(getattr(settings, "MAX_CASE_UPLOAD_BYTES", DEFAULT_MAX_CASE_UPLOAD_BYTES))


def detect_type(upload) -> str | None:
    """'pdf', 'jpeg', 'png' or 'ofd' from the file's content, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if any(name.rsplit("/", 1)[-1] == "OFD.xml" for name in names):
            return "ofd"
    return None


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    storage_name: str


def check_upload(upload, *, case_id: int, stored_bytes: int) -> CheckedUpload:
    """Validate ``upload`` for a case already holding ``stored_bytes``; raise ValidationError."""
    size = upload.size
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            coded({"file": _("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {"size": size, "limit": limit}}, "file_too_large")
        )
    if size == 0:
        raise ValidationError(coded({"file": _("The file is empty.")}, "empty_file"))
    case_limit = max_case_upload_bytes()
    if stored_bytes + size > case_limit:
        raise ValidationError(
            coded({"file": _("The case's files would exceed %(limit)s bytes.") % {"limit": case_limit}}, "case_too_large")
        )
    content_type = detect_type(upload)
    if content_type is None:
        raise ValidationError(
            coded({"file": _("Only PDF, JPEG, PNG and OFD files are accepted; this file's content is none of them.")}, "file_type")
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = f"cases/{case_id}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest(), storage_name=name)
