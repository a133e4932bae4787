"""Serializers of the public catalog API (read-only). Every public field of domain.md section 2."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    FAQ,
    CoDepartment,
    Department,
    Fee,
    FormField,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Department
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "region_code",
            "parent",
            "address",
            "phone",
            "complaint_phone",
            "office_hours",
        ]


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["purpose", "law_name", "article", "text"]


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialRequirement
        fields = [
            "code",
            "name",
            "form",
            "copies",
            "medium",
            "necessity",
            "source",
            "specification",
            "blank_form",
            "sample",
            "review_points",
            "legal_basis",
        ]


class CoDepartmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="department.code", read_only=True)
    name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = CoDepartment
        fields = ["code", "name", "step_limit_days"]


class SpecialProcedureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialProcedure
        fields = ["kind", "name", "max_working_days", "legal_basis", "counted_in_limit"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "amount_note", "basis"]


class FAQSerializer(serializers.ModelSerializer):
    class Meta:
        model = FAQ
        fields = ["question", "answer"]


class FormFieldSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(source="choice_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = FormField
        fields = ["name", "label", "field_type", "required", "choices", "help_text"]


class TimeLimitsSerializer(serializers.Serializer):
    """Time limits in working days (domain.md section 3)."""

    acceptance = serializers.IntegerField(
        source="acceptance_limit_days", help_text=_("Working days to decide on acceptance.")
    )
    statutory = serializers.IntegerField(source="statutory_limit_days", allow_null=True)
    promised = serializers.IntegerField(source="promised_limit_days", allow_null=True)
    extension_allowed = serializers.BooleanField()
    extension_days = serializers.IntegerField()
    licence_issue = serializers.IntegerField(source="licence_issue_limit_days")


class ChannelsSerializer(serializers.Serializer):
    online = serializers.BooleanField(source="channel_online")
    window = serializers.BooleanField(source="channel_window")
    post = serializers.BooleanField(source="channel_post")
    online_depth = serializers.IntegerField()
    visits_required = serializers.IntegerField()


class ResultSerializer(serializers.Serializer):
    name = serializers.CharField(source="result_name")
    type = serializers.CharField(source="result_type")
    validity = serializers.CharField(source="result_validity")
    sample = serializers.FileField(source="result_sample", allow_null=True, use_url=True)


class ItemVersionListSerializer(serializers.ModelSerializer):
    """One line of the catalog: the version in force of an item."""

    code = serializers.CharField(source="item.code", read_only=True)
    basic_code = serializers.CharField(source="item.basic_code", read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    themes = serializers.ListField(source="theme_list", child=serializers.CharField(), read_only=True)
    channels = serializers.ListField(child=serializers.CharField(), read_only=True)
    online_capable = serializers.SerializerMethodField()

    class Meta:
        model = ItemVersion
        fields = [
            "code",
            "basic_code",
            "name",
            "version",
            "item_type",
            "situation",
            "target",
            "themes",
            "department",
            "is_joint",
            "channels",
            "online_depth",
            "online_capable",
            "visits_required",
            "statutory_limit_days",
            "promised_limit_days",
            "effective_from",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_online_capable(self, obj: ItemVersion) -> bool:
        return obj.channel_online and obj.online_depth >= ItemVersion.OnlineDepth.APPLY


class ItemVersionDetailSerializer(ItemVersionListSerializer):
    """Every public field of an item version with its child rows."""

    legal_bases = LegalBasisSerializer(many=True, read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)
    co_departments = CoDepartmentSerializer(many=True, read_only=True)
    special_procedures = SpecialProcedureSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    faqs = FAQSerializer(many=True, read_only=True)
    form_fields = FormFieldSerializer(many=True, read_only=True)
    time_limits = TimeLimitsSerializer(source="*", read_only=True)
    channel_details = ChannelsSerializer(source="*", read_only=True)
    result = ResultSerializer(source="*", read_only=True)

    class Meta(ItemVersionListSerializer.Meta):
        fields = [
            *ItemVersionListSerializer.Meta.fields,
            "status",
            "effective_to",
            "main_item_name",
            "sub_item_name",
            "join_policy",
            "two_level_approval",
            "acceptance_conditions",
            "quantity_limit",
            "time_limits",
            "fee_required",
            "channel_details",
            "address",
            "office_hours",
            "enquiry_phone",
            "complaint_phone",
            "result",
            "legal_bases",
            "materials",
            "co_departments",
            "special_procedures",
            "fees",
            "faqs",
            "form_fields",
        ]


class ItemVersionSummarySerializer(serializers.ModelSerializer):
    """One version of an item in its history."""

    class Meta:
        model = ItemVersion
        fields = ["version", "status", "effective_from", "effective_to", "published_at"]


class OnDateQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text=_("Show the version in force on this date (YYYY-MM-DD); default today.")
    )
