"""Forms of the portal. They shape the input and show errors; the checks themselves live in the
services (``citizen_portal.services``, ``approvals.cases.services``), whose ``ValidationError`` keys are
mapped back onto the fields with ``apply_errors``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import BusinessAgent
from approvals.items.models import FormField

T = FormField.FieldType


def apply_errors(form: forms.Form, exc: ValidationError, *, prefix: str = "") -> None:
    """Put each message of a service's ValidationError next to its field (or on top of the form)."""
    mapping = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for key, messages in mapping.items():
        name = key[len(prefix):] if prefix and key.startswith(prefix) else key
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


class PersonForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=40, help_text=_("Letters and digits; you log in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    real_name = forms.CharField(label=_("Real name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=18, min_length=18,
        help_text=_("18 characters; the last one may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, help_text=_("Needed to reset a forgotten password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, help_text=_("At least 8 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") is not None and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class BusinessForm(forms.Form):
    business_name = forms.CharField(label=_("Business name"), max_length=200)
    uscc = forms.CharField(
        label=_("Unified social credit code"), max_length=18, min_length=18,
        help_text=_("18 characters, printed on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50)
    role = forms.ChoiceField(
        label=_("You are"), choices=BusinessAgent.Role.choices, widget=forms.RadioSelect,
        initial=BusinessAgent.Role.AGENT,
    )


class BusinessAccountForm(PersonForm, BusinessForm):
    """A new person together with the business they act for."""

    field_order = ["username", "real_name", "id_number", "phone", "email", "password", "password2",
                   "business_name", "uscc", "legal_representative", "role"]


class AgentForm(forms.Form):
    username = forms.CharField(label=_("Agent's user name"), max_length=40)
    id_number = forms.CharField(label=_("Agent's resident ID number"), max_length=18, min_length=18)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )


def _field_for(spec: FormField, initial) -> forms.Field:
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text, "initial": initial}
    kind = spec.field_type
    if kind == T.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if kind in (T.NUMBER, T.AREA):
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=30, **common)
    if kind == T.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), max_length=10, **common)
    if kind == T.CHOICE:
        choices = [("", "—"), *[(c, c) for c in spec.choice_list]]
        return forms.ChoiceField(choices=choices, **common)
    if kind == T.PHONE:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}), max_length=20, **common)
    if kind == T.BOOLEAN:
        choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]
        initial = {True: "true", False: "false"}.get(initial, initial)
        return forms.ChoiceField(choices=choices, **{**common, "initial": initial})
    return forms.CharField(max_length=500, **common)


class ApplicationFieldsForm(forms.Form):
    """The item's own form fields, built from the pinned version. ``required`` only marks the fields
    (a draft may be saved incomplete); the case engine checks them on submission."""

    def __init__(self, specs: list[FormField], initial_values: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in specs:
            field = _field_for(spec, initial_values.get(spec.name))
            field.widget.attrs["data-required"] = "true" if spec.required else "false"
            required = field.required
            field.required = False
            field.show_required = required
            self.fields[spec.name] = field

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("Yes, withdraw this application"), required=True,
                                 error_messages={"required": _("Tick the box to confirm the withdrawal.")})


class ReviewForm(forms.Form):
    pledge = forms.BooleanField(label=_("I have read and accept the pledge declaration"), required=False)


class StatusLookupForm(forms.Form):
    case_no = forms.CharField(label=_("Case number"), max_length=32)
    code = forms.CharField(label=_("Verification code"), max_length=32)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Document verification code"), max_length=32)
