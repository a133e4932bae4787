"""The public verification page: anyone holding a document's code can check it, without login.

It shows only what is printed on the document's header (kind, number, organ, date, case number),
never personal data.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import services


@require_GET
@never_cache
def verify(request, code: str):
    result = services.verify(code)
    status = 404 if result.status == services.Verification.NOT_FOUND else 200
    return render(request, "documents/verify.html", {"result": result, "code": code[:32]}, status=status)
