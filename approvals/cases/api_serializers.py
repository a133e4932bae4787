"""Serializers of the case API: output shapes (personal data masked), filing and uploads.

Input serializers check types and formats only (a date is a date, a number a number); the rules
(what a command requires, in which state) live in ``approvals.cases.services``. The commands'
inputs are built from the command table (``api_inputs``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import masking
from approvals.documents.models import OfficialDocument
from approvals.documents.services import verify_url

from .models import (
    Case,
    CaseMaterial,
    CorrectionNotice,
    Extension,
    Pledge,
    SpecialProcedurePause,
    TransitionLog,
)


def mask_value(value):
    """Mask ID and mobile numbers inside application field values (strings, lists, dicts)."""
    if isinstance(value, str):
        return masking.mask_text(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    return value


def _profile(user):
    return getattr(user, "citizen_profile", None) if user is not None else None


# --- output ---------------------------------------------------------------------------------


class CaseStateSerializer(serializers.ModelSerializer):
    """The answer to create and to every command: the case's state and dates after it.

    Built from the case the service returns (item, version and department already joined), so it
    costs no query."""

    state_display = serializers.CharField(source="get_state_display", read_only=True)
    item_code = serializers.CharField(source="item_version.item.code", read_only=True)
    item_name = serializers.CharField(source="item_version.name", read_only=True)
    department_code = serializers.CharField(source="item_version.department.code", read_only=True)
    department_name = serializers.CharField(source="item_version.department.name", read_only=True)

    class Meta:
        model = Case
        fields = [
            "case_no", "state", "state_display", "round", "channel", "item_code", "item_name",
            "department_code", "department_name", "created_at", "received_on", "intake_due", "accepted_on",
            "decision_due_promised", "decision_due_statutory", "pledge_due", "licence_issue_due", "decided_on",
            "decision",
        ]
        read_only_fields = fields


class CaseSummarySerializer(CaseStateSerializer):
    """A case in a list: state and dates, the applicant's name masked."""

    applicant_name = serializers.SerializerMethodField(help_text=_("Masked (张*)."))
    business_name = serializers.CharField(source="business.name", read_only=True, default=None, allow_null=True)

    class Meta(CaseStateSerializer.Meta):
        fields = [*CaseStateSerializer.Meta.fields, "applicant_name", "business_name"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_applicant_name(self, case: Case) -> str:
        profile = _profile(case.applicant)
        return masking.mask_name(profile.real_name) if profile else ""


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Masked (张*)."))
    id_number = serializers.CharField(help_text=_("Masked (110***********1234)."))
    phone = serializers.CharField(help_text=_("Masked (138****1234)."))

    def to_representation(self, user):
        profile = _profile(user)
        return {
            "name": masking.mask_name(profile.real_name) if profile else "",
            "id_number": masking.mask_id_number(profile.id_number) if profile else "",
            "phone": masking.mask_phone(user.phone),
        }


class BusinessSerializer(serializers.Serializer):
    name = serializers.CharField()
    uscc = serializers.CharField(help_text=_("Unified social credit code (public)."))


class PauseSerializer(serializers.ModelSerializer):
    procedure_name = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("The procedure as the item version declares it.")
    )
    legal_basis = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Legal basis of the procedure, from the item version.")
    )

    class Meta:
        model = SpecialProcedurePause
        fields = ["kind", "procedure_name", "legal_basis", "start", "expected_days", "end", "reason", "pauses_clock"]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["days", "reason", "requested_on", "approved_on", "note"]


class PledgeSerializer(serializers.ModelSerializer):
    material_codes = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Pledge
        fields = ["material_codes", "due", "pledged_at", "fulfilled_at"]


class ClocksSerializer(serializers.Serializer):
    """Every date of the case's clocks, as stored by ``approvals.cases.clock``."""

    received_at = serializers.DateTimeField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    complete_on = serializers.DateField(allow_null=True)
    intake_due = serializers.DateField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    deemed_accepted = serializers.BooleanField()
    decision_due_promised = serializers.DateField(allow_null=True)
    decision_due_statutory = serializers.DateField(allow_null=True)
    pledge_due = serializers.DateField(allow_null=True)
    licence_issue_due = serializers.DateField(allow_null=True)
    special_procedures = PauseSerializer(many=True)
    extension = ExtensionSerializer(allow_null=True)
    pledge = PledgeSerializer(allow_null=True)


class OutcomeSerializer(serializers.ModelSerializer):
    delivery_method = serializers.CharField(help_text=_("window, post, electronic, or empty."))
    class Meta:
        model = Case
        fields = [
            "decision", "decided_at", "decided_on", "reasons", "remedies", "competent_organ", "conditions",
            "licence_no", "issued_at", "delivery_method", "tracking_no", "delivered_at", "closed_at",
        ]


class CaseMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseMaterial
        fields = [
            "id", "requirement_code", "original_name", "content_type", "size", "sha256", "uploaded_at", "round",
            "is_current", "supplied_for",
        ]
        read_only_fields = fields


class CorrectionNoticeSerializer(serializers.ModelSerializer):
    problems = serializers.ListField(child=serializers.DictField())

    class Meta:
        model = CorrectionNotice
        fields = ["round", "issued_on", "issued_at", "problems", "completed_on"]


class TimelineEntrySerializer(serializers.ModelSerializer):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    from_state_display = serializers.CharField(source="get_from_state_display")
    to_state_display = serializers.CharField(source="get_to_state_display")
    actor = serializers.SerializerMethodField(help_text=_("applicant, officer or system."))
    reason = serializers.SerializerMethodField()

    class Meta:
        model = TransitionLog
        fields = ["command", "from_state", "from_state_display", "to_state", "to_state_display", "actor", "at",
                  "reason", "round", "details"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, entry: TransitionLog) -> str:
        if entry.actor_id is None:
            return "system"
        return "applicant" if entry.actor_id == self.context.get("applicant_id") else "officer"

    @extend_schema_field(OpenApiTypes.STR)
    def get_reason(self, entry: TransitionLog) -> str:
        return masking.mask_text(entry.reason)


class OfficialDocumentSerializer(serializers.ModelSerializer):
    """An official document of the case (notice, decision, licence) and where to get its PDF."""

    title = serializers.CharField(read_only=True)
    rendered = serializers.SerializerMethodField(help_text=_("Whether the PDF is stored yet (it is rendered on download otherwise)."))
    download_url = serializers.SerializerMethodField(help_text=_("The PDF, for those who may see the case."))
    verify_url = serializers.SerializerMethodField(help_text=_("The public verification page of the document."))

    class Meta:
        model = OfficialDocument
        fields = ["id", "kind", "title", "number", "issued_on", "verification_code", "valid", "rendered",
                  "download_url", "verify_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_rendered(self, document: OfficialDocument) -> bool:
        return bool(document.sha256)

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: OfficialDocument) -> str:
        path = reverse("case-document", kwargs={"case_no": document.case_no, "document_id": document.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, document: OfficialDocument) -> str:
        return verify_url(document.verification_code)


class CaseDetailSerializer(CaseSummarySerializer):
    """One case: summary, masked applicant, fields, clocks, outcome, notices, materials, timeline."""

    applicant = serializers.SerializerMethodField()
    business = serializers.SerializerMethodField()
    application_fields = serializers.SerializerMethodField(
        help_text=_("Application form values; ID and phone numbers masked.")
    )
    clocks = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    correction_notice = serializers.SerializerMethodField(help_text=_("The latest correction notice, if any."))
    correction_notices = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField(help_text=_("The current file of each material."))
    material_history = serializers.SerializerMethodField(help_text=_("Every uploaded version, newest first."))
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField(help_text=_("The case's official documents, oldest first."))

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields, "verification_code", "applicant", "business", "application_fields",
            "clocks", "outcome",
            "correction_notice", "correction_notices", "materials", "material_history", "timeline", "documents",
        ]
        read_only_fields = fields

    # ``instance`` is a selectors.CaseDetail enriched by the view (see ``api_views.detail_bundle``).
    def to_representation(self, bundle):
        self._bundle = bundle
        return super().to_representation(bundle.case)

    @extend_schema_field(ApplicantSerializer)
    def get_applicant(self, case):
        return ApplicantSerializer(case.applicant).data

    @extend_schema_field(BusinessSerializer(allow_null=True))
    def get_business(self, case):
        return BusinessSerializer(case.business).data if case.business_id else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_application_fields(self, case):
        return mask_value(case.fields or {})

    @extend_schema_field(ClocksSerializer)
    def get_clocks(self, case):
        b = self._bundle
        return ClocksSerializer(
            {
                **{name: getattr(case, name) for name in (
                    "received_at", "received_on", "complete_on", "intake_due", "accepted_on", "deemed_accepted",
                    "decision_due_promised", "decision_due_statutory", "pledge_due", "licence_issue_due",
                )},
                "special_procedures": b.pauses,
                "extension": b.extension,
                "pledge": b.pledge,
            }
        ).data

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, case):
        return OutcomeSerializer(case).data

    @extend_schema_field(CorrectionNoticeSerializer(allow_null=True))
    def get_correction_notice(self, case):
        notices = self._bundle.notices
        return CorrectionNoticeSerializer(notices[-1]).data if notices else None

    @extend_schema_field(CorrectionNoticeSerializer(many=True))
    def get_correction_notices(self, case):
        return CorrectionNoticeSerializer(self._bundle.notices, many=True).data

    @extend_schema_field(CaseMaterialSerializer(many=True))
    def get_materials(self, case):
        return CaseMaterialSerializer(self._bundle.detail.materials, many=True).data

    @extend_schema_field(CaseMaterialSerializer(many=True))
    def get_material_history(self, case):
        history = sorted(self._bundle.detail.history, key=lambda m: (m.uploaded_at, m.pk), reverse=True)
        return CaseMaterialSerializer(history, many=True).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, case):
        return TimelineEntrySerializer(
            self._bundle.detail.timeline, many=True, context={"applicant_id": case.applicant_id}
        ).data

    @extend_schema_field(OfficialDocumentSerializer(many=True))
    def get_documents(self, case):
        return OfficialDocumentSerializer(self._bundle.documents, many=True, context=self.context).data


class PublicCaseStatusSerializer(serializers.ModelSerializer):
    """What anyone holding the case number and verification code may see: state and dates only."""

    state_display = serializers.CharField(source="get_state_display", read_only=True)
    item_name = serializers.CharField(source="item_version.name", read_only=True)
    department_name = serializers.CharField(source="item_version.department.name", read_only=True)

    class Meta:
        model = Case
        fields = [
            "case_no", "item_name", "department_name", "state", "state_display", "received_on", "intake_due",
            "accepted_on", "decision_due_promised", "decided_on", "issued_at", "delivered_at", "closed_at",
        ]
        read_only_fields = fields


# --- input ----------------------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    item_code = serializers.CharField(max_length=64, help_text=_("Implementation code of an item in force."))
    fields = serializers.DictField(required=False, default=dict, help_text=_("Values of the item's form fields."))
    business_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("The business you act for, if any.")
    )
    channel = serializers.ChoiceField(choices=Case.Channel.choices, default=Case.Channel.ONLINE)
    submit = serializers.BooleanField(
        default=False, help_text=_("Submit at once (every required material must then be attached: none here).")
    )
    pledge_declared = serializers.BooleanField(
        default=False,
        help_text=_("With submit: I accept the pledge declaration for the item's pledgeable materials (none is attached yet)."),
    )


class MaterialUploadSerializer(serializers.Serializer):
    requirement_code = serializers.CharField(max_length=30)
    file = serializers.FileField(help_text=_("PDF, JPEG, PNG or OFD; the type is read from the content."))
