"""The contract's password rules (附件六 供应商口令安全承诺书) and how passwords are hashed.

附件六 一 (复杂性): "包含大小写字母、数字及特殊字符，且长度不少于18位 … 定期（至少每30天）更换口令，
避免使用容易被猜测或破解的简单口令，如生日、电话号码、连续数字或字母等".
附件六 三 (单一用途): "明确专人负责账号和密码管理，及时删除人员变动或者调整的账号。不在多个账户或系统上
重复使用同一口令".

What the contract leaves open is a named setting here, with the value chosen:
- REUSE_DEPTH: a new password may not be one of the account's last 5 (附件六 asks for a change
  every 30 days; a change back to the old one would be no change);
- LOCK_AFTER / LOCK_MINUTES: 5 wrong passwords in a row lock the account for 15 minutes (the
  contract says nothing; without a limit an 18-character rule can still be guessed at online);
- RUN_LENGTH: 4 or more consecutive digits or letters ("1234", "abcd", "4321") or the same
  character 4 times count as "连续数字或字母".

Hashes are Argon2id (argon2-cffi, its RFC 9106 default parameters): slow to guess offline,
salted per password, and self-describing, so the parameters can be raised later.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.errors import InputError

MIN_LENGTH = 18  # 附件六 一
MAX_AGE_DAYS = 30  # 附件六 一 "至少每30天"
REUSE_DEPTH = 5
LOCK_AFTER = 5
LOCK_MINUTES = 15
RUN_LENGTH = 4
# Longer than any passphrase a person types; Argon2 itself takes any length, this bounds the work.
MAX_LENGTH = 256
SPECIALS = set(string.punctuation)

_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Rule:
    key: str
    words: str  # the policy's own words, shown when a password fails it


RULES = (
    Rule("length", f"长度不少于{MIN_LENGTH}位（附件六 一）"),
    Rule("upper", "须包含大写字母（附件六 一）"),
    Rule("lower", "须包含小写字母（附件六 一）"),
    Rule("digit", "须包含数字（附件六 一）"),
    Rule("special", "须包含特殊字符，如 !@#$%（附件六 一）"),
    Rule("sequence", f"不得含{RUN_LENGTH}位及以上连续或重复的数字或字母，如 1234、abcd、aaaa（附件六 一）"),
    Rule("personal", "不得包含账户名、工号或电话号码（附件六 一 “生日、电话号码”）"),
    Rule("reuse", f"不得与最近{REUSE_DEPTH}次使用过的口令相同（附件六 一 “定期更换”）"),
    Rule("too_long", f"长度不超过{MAX_LENGTH}位"),
)
RULE_WORDS = {r.key: r.words for r in RULES}


class PasswordRefused(InputError):
    """A password that breaks the policy; `failed` names every rule it breaks."""

    def __init__(self, failed: list[str]):
        self.failed = failed
        super().__init__("口令不符合要求 password refused: " + "；".join(RULE_WORDS[k] for k in failed))


def _has_run(text: str) -> bool:
    lowered = text.lower()
    for i in range(len(lowered) - RUN_LENGTH + 1):
        chunk = lowered[i : i + RUN_LENGTH]
        same_kind = chunk.isdigit() or (chunk.isascii() and chunk.isalpha())
        if not same_kind:
            continue
        steps = {ord(b) - ord(a) for a, b in zip(chunk, chunk[1:], strict=False)}
        if steps in ({1}, {-1}, {0}):
            return True
    return False


def personal_tokens(*values: str | None) -> list[str]:
    """The strings a password may not contain: names and ids (3+ characters), phone numbers
    (their digits, and their last 6 digits, which people use as a PIN)."""
    tokens: list[str] = []
    for value in values:
        if not value:
            continue
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 6:
            tokens += [digits, digits[-6:]]
        elif len(value) >= 3:
            tokens.append(value.lower())
    return tokens


def failed_rules(password: str, personal: list[str] = ()) -> list[str]:
    """The keys of the rules `password` breaks (empty: it conforms). Reuse is checked apart."""
    if len(password) > MAX_LENGTH:
        return ["too_long"]
    failed = []
    if len(password) < MIN_LENGTH:
        failed.append("length")
    if not any(c.isupper() for c in password):
        failed.append("upper")
    if not any(c.islower() for c in password):
        failed.append("lower")
    if not any(c.isdigit() for c in password):
        failed.append("digit")
    if not any(c in SPECIALS for c in password):
        failed.append("special")
    if _has_run(password):
        failed.append("sequence")
    lowered = password.lower()
    if any(token in lowered for token in personal):
        failed.append("personal")
    return failed


def check(password: str, personal: list[str] = ()) -> None:
    failed = failed_rules(password, personal)
    if failed:
        raise PasswordRefused(failed)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def expired(set_at: dt.datetime, now: dt.datetime) -> bool:
    return now - set_at >= dt.timedelta(days=MAX_AGE_DAYS)


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so that a wrong user name
    takes as long as a wrong password (the time tells nobody which names exist)."""
    return _HASHER.hash("not-a-password-of-any-account")
