"""What the portal itself records: the applicant's pledge declaration (承诺书) made at submission.

The case engine decides acceptance with pledge (``approvals.cases.services.accept_with_pledge``); the
declaration is the applicant's written undertaking, given on the review page of the wizard when
the item has pledgeable (容缺) materials, kept with the case it was given for.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PledgeDeclaration(models.Model):
    case = models.OneToOneField("approvals.Case", on_delete=models.CASCADE, related_name="pledge_declaration")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    material_codes = models.JSONField(_("pledgeable materials"), default=list)
    text = models.TextField(_("declaration text"))
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        verbose_name = _("pledge declaration")
        verbose_name_plural = _("pledge declarations")

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.material_codes)}"
