import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.identity import (
    resident_id_check_digit,
    uscc_check_character,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from accounts.masking import mask_id_number, mask_name, mask_phone, mask_text

# Published examples: GB 11643 sample and a real-format USCC whose check character is known.
VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def test_valid_resident_id_passes():
    validate_resident_id(VALID_ID)
    validate_resident_id(VALID_ID.lower())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "check_digit"),
        ("11010519491331002X", "birth_date"),
        ("1101051949123100", "format"),
        ("11010519491231002Y", "format"),
    ],
)
def test_invalid_resident_id_is_refused_with_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert exc.value.code == code


@given(st.from_regex(r"[0-9]{6}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", fullmatch=True))
def test_every_generated_id_with_its_check_digit_validates_and_any_other_digit_fails(first17):
    full = first17 + resident_id_check_digit(first17)
    validate_resident_id(full)
    wrong = next(c for c in "0123456789X" if c != full[-1])
    with pytest.raises(ValidationError):
        validate_resident_id(first17 + wrong)


def test_valid_uscc_passes_and_bad_check_character_fails():
    validate_uscc(VALID_USCC)
    with pytest.raises(ValidationError) as exc:
        validate_uscc(VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1"))
    assert exc.value.code == "check_digit"
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100I43")  # I is not in the GB 32100 alphabet
    assert exc.value.code == "format"


@given(st.from_regex(r"[159][1-9][0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}", fullmatch=True))
def test_generated_uscc_with_computed_check_character_validates(first17):
    validate_uscc(first17 + uscc_check_character(first17))


def test_mobile_numbers():
    validate_mobile("13812341234")
    with pytest.raises(ValidationError):
        validate_mobile("12812341234")


def test_masking_matches_the_disclosure_rules():
    assert mask_id_number("110105194912310021") == "110***********0021"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    masked = mask_text(f"申请人身份证 {VALID_ID}，电话13812341234。")
    assert VALID_ID not in masked and "13812341234" not in masked
    assert "110***********002X" in masked and "138****1234" in masked


def test_non_ascii_digits_are_refused_not_crashed_on():
    with pytest.raises(ValidationError):
        validate_uscc("1100000٠000000000X")
    with pytest.raises(ValidationError):
        validate_resident_id("11010519491231002٠")
