"""The officer workbench's own records: personal-data reveals (audited) and decision templates."""

from __future__ import annotations

from string import Template

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevealLog(models.Model):
    """An officer revealed one personal-data field of a case's applicant in full (append-only)."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("Mobile phone")
        ADDRESS = "address", _("Address")

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("approvals.Case", on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")

    def __str__(self) -> str:
        return f"{self.officer_id} → {self.case_id}.{self.field} at {self.at:%Y-%m-%d %H:%M}"


class DecisionTemplate(models.Model):
    """Per item: the text a decision is drafted from. Placeholders (``$case_no``, ``$item_name``,
    ``$applicant_name``, ``$received_on``, ``$accepted_on`` and every application field by its
    name, e.g. ``$shop_name``) are filled in when the lead department opens the decision form."""

    item = models.OneToOneField("items.Item", on_delete=models.CASCADE, related_name="decision_template")
    approve_text = models.TextField(
        _("approval: conditions"), blank=True, help_text=_("Drafted into the conditions of an approval.")
    )
    refuse_text = models.TextField(
        _("refusal: reasons"), blank=True, help_text=_("Drafted into the reasons of a refusal.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision template")
        verbose_name_plural = _("decision templates")

    def __str__(self) -> str:
        return str(self.item)

    @staticmethod
    def fill(text: str, values: dict) -> str:
        return Template(text or "").safe_substitute({k: "" if v is None else str(v) for k, v in values.items()})
