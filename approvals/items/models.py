"""The service catalog (事项清单), domain.md section 2.

``Item`` is the stable identity of an approval item (its implementation code never changes);
``ItemVersion`` holds every public field and is versioned draft → published → superseded / retired.
A published version and all its child rows are immutable: ``ItemVersion.ensure_editable`` guards
every write, and an edit starts a new draft version (``services.new_version``).

Version lifecycle (django-fsm-2 field ``ItemVersion.status``):

=============  ==================  ===========================================
transition     from → to           who / requires
=============  ==================  ===========================================
publish        draft → published   catalog admin; ``publication_problems()`` empty
supersede      published → superseded  automatic when a later version is published
retire         published → retired catalog admin; the item is withdrawn
=============  ==================  ===========================================
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class Department(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWN = "town", _("Town / street")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(
        _("abbreviation"), max_length=20, blank=True, help_text=_("Used in document numbers, e.g. 市监.")
    )
    level = models.CharField(_("government level"), max_length=10, choices=Level.choices, default=Level.CITY)
    region_code = models.CharField(
        _("region code"), max_length=6, validators=[RegexValidator(r"^\d{6}$", _("A region code has 6 digits."))]
    )
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("enquiry phone"), max_length=50, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=50, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    is_supervision_office = models.BooleanField(_("supervision office"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """The stable identity of an approval item across its versions."""

    code = models.CharField(
        _("implementation code"), max_length=60, unique=True, help_text=_("Code of the item for the implementing body.")
    )
    basic_code = models.CharField(_("basic code"), max_length=60, db_index=True, help_text=_("Code shared across the province."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")

    def __str__(self) -> str:
        return self.code

    def version_in_force(self, on: date | None = None) -> ItemVersion | None:
        return ItemVersion.objects.in_force(on).filter(item=self).first()


class ItemVersionQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> ItemVersionQuerySet:
        """Versions in force on ``on`` (default: today in Asia/Shanghai)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(
            Q(status__in=[ItemVersion.Status.PUBLISHED, ItemVersion.Status.SUPERSEDED, ItemVersion.Status.RETIRED]),
            effective_from__lte=on,
        ).filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))


class ItemVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        RETIRED = "retired", _("Retired")

    class ItemType(models.TextChoices):
        LICENCE = "licence", _("Administrative licence")
        CONFIRMATION = "confirmation", _("Administrative confirmation")
        BENEFIT = "benefit", _("Administrative benefit")
        FILING = "filing", _("Filing")
        PUBLIC_SERVICE = "public_service", _("Public service")
        OTHER = "other", _("Other")

    class Situation(models.TextChoices):
        NEW = "new", _("New (新办)")
        CHANGE = "change", _("Change (变更)")
        RENEWAL = "renewal", _("Renewal (延续)")
        CANCELLATION = "cancellation", _("Cancellation (注销)")

    class Target(models.TextChoices):
        CITIZEN = "citizen", _("Individuals")
        BUSINESS = "business", _("Businesses")
        BOTH = "both", _("Individuals and businesses")

    class JoinPolicy(models.TextChoices):
        ALL_AGREE = "all_agree", _("All must agree (会签)")
        LEAD_DECIDES = "lead_decides", _("Lead department decides (主办/协办)")
        INDEPENDENT = "independent", _("Independent decisions")

    class OnlineDepth(models.IntegerChoices):
        NONE = 0, _("Not online")
        INFORMATION = 1, _("Level 1: information online")
        DOWNLOAD = 2, _("Level 2: forms downloadable")
        APPLY = 3, _("Level 3: apply online")
        FULL = 4, _("Level 4: handled fully online")

    class ResultType(models.TextChoices):
        LICENCE = "licence", _("Licence")
        CERTIFICATE = "certificate", _("Certificate")
        APPROVAL_LETTER = "approval_letter", _("Approval letter")
        FILING_RECEIPT = "filing_receipt", _("Filing receipt")
        OTHER = "other", _("Other")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"), default=1)
    status = FSMField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until (exclusive)"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Identity and classification
    name = models.CharField(_("name"), max_length=200)
    item_type = models.CharField(_("type"), max_length=20, choices=ItemType.choices, default=ItemType.LICENCE)
    main_item_name = models.CharField(_("main item"), max_length=200, blank=True)
    sub_item_name = models.CharField(_("sub-item"), max_length=200, blank=True)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices, default=Situation.NEW)
    target = models.CharField(_("applicants"), max_length=10, choices=Target.choices, default=Target.BOTH)
    themes = models.CharField(
        _("themes"), max_length=200, blank=True, help_text=_("Comma-separated life or business events, e.g. startup,operation.")
    )

    # Departments. For a joint item the implementing department is the lead.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="item_versions", verbose_name=_("implementing department")
    )
    is_joint = models.BooleanField(_("joint (parallel) handling"), default=False)
    join_policy = models.CharField(_("join policy"), max_length=20, choices=JoinPolicy.choices, blank=True, default="")
    two_level_approval = models.BooleanField(
        _("two-level approval"), default=False, help_text=_("Review and sign-off by different officers.")
    )

    # Conditions
    acceptance_conditions = models.TextField(_("acceptance conditions"), blank=True)
    quantity_limit = models.CharField(_("quantity limit"), max_length=300, blank=True)

    # Time limits in working days
    acceptance_limit_days = models.PositiveSmallIntegerField(_("acceptance decision limit"), default=5)
    statutory_limit_days = models.PositiveSmallIntegerField(_("statutory limit (法定时限)"), null=True, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("promised limit (承诺时限)"), null=True, blank=True)
    extension_allowed = models.BooleanField(_("extension allowed"), default=True)
    extension_days = models.PositiveSmallIntegerField(_("extension days"), default=10)
    licence_issue_limit_days = models.PositiveSmallIntegerField(_("licence issue limit"), default=10)

    # Fees, channels, visits
    fee_required = models.BooleanField(_("fee charged"), default=False)
    channel_online = models.BooleanField(_("online"), default=True)
    channel_window = models.BooleanField(_("at the window"), default=True)
    channel_post = models.BooleanField(_("by post"), default=False)
    online_depth = models.PositiveSmallIntegerField(_("online depth"), choices=OnlineDepth.choices, default=OnlineDepth.APPLY)
    visits_required = models.PositiveSmallIntegerField(_("visits required"), default=0)

    # Where and when
    address = models.CharField(_("address"), max_length=300, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    enquiry_phone = models.CharField(_("enquiry phone"), max_length=50, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=50, blank=True)

    # Result
    result_name = models.CharField(_("result name"), max_length=200, blank=True)
    result_type = models.CharField(_("result type"), max_length=20, choices=ResultType.choices, default=ResultType.LICENCE)
    result_validity = models.CharField(_("validity period"), max_length=100, blank=True)
    result_sample = models.FileField(_("result sample"), upload_to="catalog/samples/", blank=True)

    objects = ItemVersionQuerySet.as_manager()

    class Meta:
        ordering = ["item__code", "-version"]
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="unique_item_version"),
            models.CheckConstraint(
                condition=Q(promised_limit_days__isnull=True)
                | Q(statutory_limit_days__isnull=True)
                | Q(promised_limit_days__lte=models.F("statutory_limit_days")),
                name="promised_not_above_statutory",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from"], name="itemversion_force_idx")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    # --- immutability -------------------------------------------------------------------------
    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def ensure_editable(self, *, refresh: bool = False) -> None:
        """Raise unless the version is a draft; ``refresh`` re-reads the stored status first, so that
        a stale in-memory copy of a version published meanwhile cannot be used to change it."""
        if refresh and self.pk:
            stored = ItemVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored:
                self.status = stored
        if not self.is_editable:
            raise ValidationError(
                _("Version %(version)s of %(code)s is %(status)s and can no longer be changed; create a new version."),
                params={"version": self.version, "code": self.item.code, "status": self.get_status_display()},
                code="immutable",
            )

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("_lifecycle", False):
            stored = ItemVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored and stored != self.Status.DRAFT:
                raise ValidationError(
                    _("A published version can no longer be changed; create a new version."), code="immutable"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.ensure_editable(refresh=True)
        return super().delete(*args, **kwargs)

    # --- lifecycle (state only; rules live in services) ------------------------------------
    @transition(field=status, source=Status.DRAFT, target=Status.PUBLISHED)
    def publish(self) -> None:
        """Draft → published."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.SUPERSEDED)
    def supersede(self) -> None:
        """Published → superseded by a later version."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.RETIRED)
    def retire(self) -> None:
        """Published → retired."""

    # --- derived --------------------------------------------------------------------------
    @property
    def channels(self) -> list[str]:
        return [name for name, on in (("online", self.channel_online), ("window", self.channel_window), ("post", self.channel_post)) if on]

    @property
    def theme_list(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]


class VersionChild(models.Model):
    """Base for rows that belong to one item version and share its immutability."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(getattr(self, "name", None) or getattr(self, "law_name", None) or getattr(self, "question", None) or self.pk)

    def save(self, *args, **kwargs):
        self.version.ensure_editable(refresh=True)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.version.ensure_editable(refresh=True)
        return super().delete(*args, **kwargs)


class CoDepartment(VersionChild):
    """A co-department of a joint item, with its own step limit inside the case's limit."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="co_departments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="co_item_versions")
    step_limit_days = models.PositiveSmallIntegerField(
        _("step limit (working days)"), null=True, blank=True, help_text=_("Empty: the case's own limit.")
    )

    class Meta(VersionChild.Meta):
        verbose_name = _("co-department")
        verbose_name_plural = _("co-departments")
        constraints = [models.UniqueConstraint(fields=["version", "department"], name="unique_co_department")]


class LegalBasis(VersionChild):
    class Purpose(models.TextChoices):
        SETTING = "setting", _("Basis for setting the item")
        IMPLEMENTING = "implementing", _("Basis for implementing the item")

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="legal_bases")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.SETTING)
    law_name = models.CharField(_("law or regulation"), max_length=200)
    article = models.CharField(_("article"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")


class MaterialRequirement(VersionChild):
    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        ORIGINAL_AND_COPY = "original_and_copy", _("Original and copy")

    class Medium(models.TextChoices):
        PAPER = "paper", _("Paper")
        ELECTRONIC = "electronic", _("Electronic")
        BOTH = "both", _("Paper or electronic")

    class Necessity(models.TextChoices):
        REQUIRED = "required", _("Required")
        OPTIONAL = "optional", _("Optional")
        PLEDGEABLE = "pledgeable", _("Required, may be pledged (容缺)")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        GOVERNMENT = "government", _("Another government body")
        INTERMEDIARY = "intermediary", _("Intermediary")

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(_("material code"), max_length=30, help_text=_("Stable key of the material within the item, e.g. M01."))
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("original / copy"), max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    medium = models.CharField(_("medium"), max_length=12, choices=Medium.choices, default=Medium.BOTH)
    necessity = models.CharField(_("necessity"), max_length=12, choices=Necessity.choices, default=Necessity.REQUIRED)
    source = models.CharField(_("source"), max_length=15, choices=Source.choices, default=Source.APPLICANT)
    specification = models.TextField(_("specification"), blank=True)
    blank_form = models.FileField(_("blank form"), upload_to="catalog/forms/", blank=True)
    sample = models.FileField(_("filled sample"), upload_to="catalog/samples/", blank=True)
    review_points = models.TextField(_("review points"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_material_code")]

    @property
    def is_required(self) -> bool:
        return self.necessity != self.Necessity.OPTIONAL


class SpecialProcedure(VersionChild):
    """A special procedure the item may use (Art. 45); by default its time is not counted."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("Hearing")
        TENDER = "tender", _("Tender")
        AUCTION = "auction", _("Auction")
        INSPECTION = "inspection", _("Inspection")
        TESTING = "testing", _("Testing")
        QUARANTINE = "quarantine", _("Quarantine")
        APPRAISAL = "appraisal", _("Appraisal")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        SITE_SURVEY = "site_survey", _("Site survey")
        OTHER = "other", _("Other")

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="special_procedures")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    max_working_days = models.PositiveSmallIntegerField(_("maximum working days"), validators=[MinValueValidator(1)])
    legal_basis = models.TextField(_("legal basis"), blank=True)
    counted_in_limit = models.BooleanField(_("counted in the time limit"), default=False)

    class Meta(VersionChild.Meta):
        verbose_name = _("special procedure")
        verbose_name_plural = _("special procedures")
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="unique_special_procedure_kind")]


class Fee(VersionChild):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("fee"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_note = models.CharField(_("amount note"), max_length=200, blank=True, help_text=_("e.g. per square metre"))
    basis = models.TextField(_("basis"), blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = _("fee")
        verbose_name_plural = _("fees")


class FAQ(VersionChild):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta(VersionChild.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")


class FormField(VersionChild):
    """A field of the item's application form; submissions are validated against the pinned version."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        ADDRESS = "address", _("Address")
        AREA = "area", _("Area (m²)")
        PHONE = "phone", _("Phone")
        BOOLEAN = "boolean", _("Yes / no")

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="form_fields")
    name = models.SlugField(_("field name"), max_length=50)
    label = models.CharField(_("label"), max_length=200)
    field_type = models.CharField(_("type"), max_length=12, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("required"), default=True)
    choices = models.CharField(_("choices"), max_length=500, blank=True, help_text=_("For choice fields: values separated by |"))
    help_text = models.CharField(_("help text"), max_length=300, blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="unique_form_field_name")]

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split("|") if c.strip()]
