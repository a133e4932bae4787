"""Users and their roles (domain.md section 1).

- Applicants: a citizen (``CitizenProfile``) and the businesses they act for (``BusinessAgent``).
- Officers: ``OfficerMembership`` rows give a job in a department (front desk, reviewer, approver,
  department head, supervisor).
- Administrators: ``User.admin_role`` holds at most one of the three separated roles, so no account
  can combine system, security and audit administration.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import crypto, masking
from .crypto import EncryptedTextField
from .identity import validate_mobile, validate_resident_id, validate_uscc


class User(AbstractUser):
    class AdminRole(models.TextChoices):
        NONE = "", _("None")
        SYSTEM = "system_admin", _("System administrator")
        SECURITY = "security_admin", _("Security administrator")
        AUDIT = "audit_admin", _("Audit administrator")

    admin_role = models.CharField(_("administrator role"), max_length=20, choices=AdminRole.choices, blank=True, default="")
    phone = EncryptedTextField(_("mobile phone"), blank=True, default="", validators=[validate_mobile])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_applicant(self) -> bool:
        return hasattr(self, "citizen_profile")

    @property
    def is_officer(self) -> bool:
        return self.memberships.exists()

    def jobs_in(self, department_id: int) -> set[str]:
        return {m.job for m in self.memberships.all() if m.department_id == department_id}

    @property
    def masked_phone(self) -> str:
        return masking.mask_phone(self.phone)


class CitizenProfile(models.Model):
    """A natural person: identified by the resident ID number."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    real_name = models.CharField(_("real name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"), validators=[validate_resident_id])
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True, default="")
    bad_credit = models.BooleanField(
        _("bad-credit flag"), default=False, help_text=_("Applicants with a bad-credit flag are not offered acceptance with pledge.")
    )

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return masking.mask_name(self.real_name)

    def save(self, *args, **kwargs):
        self.id_number = (self.id_number or "").strip().upper()
        self.id_number_digest = crypto.digest(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return masking.mask_id_number(self.id_number)

    @property
    def masked_name(self) -> str:
        return masking.mask_name(self.real_name)


class Business(models.Model):
    """A legal person or other organisation: identified by its unified social credit code."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    address = models.CharField(_("registered address"), max_length=300, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    bad_credit = models.BooleanField(_("bad-credit flag"), default=False)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.uscc = (self.uscc or "").strip().upper()


class BusinessAgent(models.Model):
    """A citizen who may act for a business (the legal representative or an authorised agent)."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        AGENT = "agent", _("Authorised agent")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="agents")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="business_agencies")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.AGENT)
    active = models.BooleanField(_("active"), default=True)
    authorised_until = models.DateField(_("authorised until"), null=True, blank=True)

    class Meta:
        verbose_name = _("business agent")
        verbose_name_plural = _("business agents")
        constraints = [models.UniqueConstraint(fields=["business", "user"], name="unique_business_agent")]

    def __str__(self) -> str:
        return f"{self.business} / {self.user}"


class OfficerMembership(models.Model):
    """A job an officer holds in a department."""

    class Job(models.TextChoices):
        FRONT_DESK = "front_desk", _("Front desk")
        REVIEWER = "reviewer", _("Reviewer")
        APPROVER = "approver", _("Approver")
        DEPARTMENT_HEAD = "department_head", _("Department head")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey("items.Department", on_delete=models.PROTECT, related_name="memberships")
    job = models.CharField(_("job"), max_length=20, choices=Job.choices)

    class Meta:
        verbose_name = _("officer membership")
        verbose_name_plural = _("officer memberships")
        constraints = [models.UniqueConstraint(fields=["user", "department", "job"], name="unique_officer_job")]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_job_display()}"

    def clean(self):
        if self.user_id and self.user.admin_role:
            raise ValidationError(_("An administrator account cannot also hold an officer job."))
