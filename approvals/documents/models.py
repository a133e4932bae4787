"""Official documents (文书): every notice and decision of a case is a numbered, dated PDF with a
verification code (domain.md section 4).

Document numbers read ``<organ abbreviation><kind word>〔<year>〕<6-digit sequence>号``, e.g.
``江市监许〔2026〕000123号``; ``DocumentNumberSequence`` holds one counter row per organ
abbreviation, kind word and year, locked while a number is taken, so numbers have no gaps and no
duplicates.

=========================  ===========================  =========
kind                       title                        kind word
=========================  ===========================  =========
acceptance_receipt         受理通知书                   受
correction_notice          补正材料通知书               补
not_accepted_notice        不予受理通知书               不受
special_procedure_notice   特别程序告知书               特
extension_notice           延长审批期限通知书           延
approval_decision          准予行政许可决定书           许
refusal_decision           不予行政许可决定书           不许
licence                    行政许可证                   证
=========================  ===========================  =========
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentNumberSequence(models.Model):
    organ_abbr = models.CharField(_("organ abbreviation"), max_length=20)
    kind_prefix = models.CharField(_("kind word"), max_length=10)
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["organ_abbr", "kind_prefix", "year"], name="unique_document_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ_abbr}{self.kind_prefix}〔{self.year}〕 → {self.last_number}"


def _pdf_path(instance: OfficialDocument, filename: str) -> str:
    return f"documents/{instance.issued_on:%Y}/{filename}"


class OfficialDocument(models.Model):
    """One issued document.

    ``case`` links the document to its case (``approvals.Case``); ``case_no`` is kept as printed on
    the document (and for documents issued without a case row, e.g. in the benchmark).

    ``context`` keeps what the PDF was rendered from (only masked personal data goes in it), so
    the ``render_document`` task can render it again if the first attempt failed; the periodic
    ``render_stale_documents`` sweep re-queues documents still unrendered after a while
    (``render_queued_at``).
    """

    class Kind(models.TextChoices):
        ACCEPTANCE_RECEIPT = "acceptance_receipt", "受理通知书"
        CORRECTION_NOTICE = "correction_notice", "补正材料通知书"
        NOT_ACCEPTED_NOTICE = "not_accepted_notice", "不予受理通知书"
        SPECIAL_PROCEDURE_NOTICE = "special_procedure_notice", "特别程序告知书"
        EXTENSION_NOTICE = "extension_notice", "延长审批期限通知书"
        APPROVAL_DECISION = "approval_decision", "准予行政许可决定书"
        REFUSAL_DECISION = "refusal_decision", "不予行政许可决定书"
        LICENCE = "licence", "行政许可证"

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("document number"), max_length=60, unique=True)
    department = models.ForeignKey(
        "items.Department",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("issuing department"),
    )
    issued_on = models.DateField(_("issued on"))
    case_no = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    case = models.ForeignKey(
        "approvals.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
        verbose_name=_("case"),
    )
    dedup_key = models.CharField(_("deduplication key"), max_length=100, blank=True, default="")
    context = models.JSONField(_("render context"), default=dict, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    pdf = models.FileField(_("PDF"), upload_to=_pdf_path, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    render_queued_at = models.DateTimeField(
        _("render re-queued at"), null=True, blank=True,
        help_text=_("When the sweep last queued the PDF's rendering again (its first task was lost)."),
    )
    valid = models.BooleanField(_("valid"), default=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        constraints = [
            models.UniqueConstraint(
                fields=["case_no", "kind", "dedup_key"], name="unique_document_per_case_kind_key"
            )
        ]
        # The render sweep reads only the documents still without a PDF.
        indexes = [
            models.Index(fields=["created_at"], name="document_render_pending", condition=models.Q(sha256="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def title(self) -> str:
        return self.get_kind_display()
