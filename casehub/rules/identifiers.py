"""Check characters of the identifiers parties are recorded by.

- Unified social credit code, GB 32100-2015: 18 characters; weights
  3^(i-1) mod 31; check = (31 - Σ mod 31) mod 31 in the code alphabet.
  (Pages that describe a mod-11 rule for it are wrong.)
- Resident identity number, GB 11643-1999 (ISO 7064 MOD 11-2).
Source: ../shared/domain.md, "Codes".
"""

import re
from datetime import date

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
CREDIT_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_CREDIT_CODE_RE = re.compile(f"^[{CREDIT_CODE_ALPHABET}]{{18}}$")

ID_NUMBER_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_NUMBER_CHECK = "10X98765432"
_ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = (code or "").strip().upper()
    return bool(_CREDIT_CODE_RE.match(code)) and credit_code_check_char(code[:17]) == code[17]


def id_number_check_char(first17: str) -> str:
    return ID_NUMBER_CHECK[sum(int(c) * w for c, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True)) % 11]


def is_valid_id_number(number: str) -> bool:
    """Format, check digit and a real birth date."""
    number = (number or "").strip().upper()
    if not _ID_NUMBER_RE.match(number) or id_number_check_char(number[:17]) != number[17]:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1850, 1, 1) <= born <= date.today()


def mask_id_number(number: str) -> str:
    """Region and check digit stay readable; the birth date and sequence do not."""
    return f"{number[:6]}{'*' * 11}{number[-1]}" if len(number) == 18 else "*" * len(number)


def mask_person_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the public may see the surname only (and
    a one-character name not even that)."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*" * len(name)
