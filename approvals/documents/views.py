"""The public verification page: anyone holding a document's code can check it, without login.

It shows only what is printed on the document's header (kind, number, organ, date, case number),
never personal data.

``pdf_response`` serves a document's PDF; the workbench, the citizen portal and the case API each
check who may see the case and then call it.
"""

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import services
from .models import OfficialDocument


@require_GET
@never_cache
def verify(request, code: str):
    result = services.verify(code)
    status = 404 if result.status == services.Verification.NOT_FOUND else 200
    return render(request, "documents/verify.html", {"result": result, "code": code[:32]}, status=status)


def pdf_response(document: OfficialDocument, *, as_attachment: bool = False, filename: str = "") -> FileResponse:
    """The document's PDF. The caller has checked that the user may see the document's case.

    A document whose render task has not run yet (queued, or lost) is rendered now:
    ``render_document`` is idempotent and locks the document row, so a concurrent worker renders
    it once.
    """
    if not document.sha256:
        services.render_document(document.pk)
        document.refresh_from_db(fields=["pdf", "sha256"])
    response = FileResponse(
        document.pdf.open("rb"), as_attachment=as_attachment, filename=filename or f"{document.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
