"""The limits of what Thi Đua accepts and stores, stated once.

The event contracts, the HTTP request models and the table columns all take their limits from
here: a value an HTTP model accepts fits the contract that carries it, and a value a contract
accepts fits every column that stores it. An event beyond these limits could never have been
stored by its consumers, so it is refused where it is read (and dead-lettered) instead of
jamming a consumer on the database's refusal. tests/unit/test_bounds.py walks every table to
prove it.

Lengths count characters (Python's `len`, PostgreSQL's `varchar(n)`), not bytes.
"""

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import (
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

# --- identifiers and codes ----------------------------------------------------------------

CAMPAIGN_CODE_MAX = 20
"""A campaign's code, e.g. '2022' (shared.campaign.model.CampaignCode)."""

CODE_MAX = 50
"""Codes of phases, units, clusters, movements, award types, initiative fields, notification
triggers: short identifiers a campaign file or the union tree names (shared.campaign.model.Code)."""

MEMBER_ID_MAX = 50
"""A member's identifier in the union register (mã đoàn viên), e.g. 'PVGAS-0012'."""

SUBJECT_MAX = 100
"""Who acted: a token's subject (a member, an officer, an admin, a service account) or an
award's recipient (a unit's code or a member's id)."""

VOCABULARY_MAX = 20
"""A value of a closed vocabulary: a status, a kind, a level, a channel, a language."""

EVENT_TYPE_MAX = 200
"""A CloudEvents `type`, e.g. 'vn.congdoandaukhi.thidua.initiative.submitted.v1'; also a topic
and a message key (shared.messaging.tables)."""

# --- names and text -----------------------------------------------------------------------

PERSON_NAME_MAX = 200
"""Họ và tên; also a webhook subscriber's name."""

NAME_MAX = 300
"""A unit's, a phase's, an award's, a target's or a recipient's name; an initiative's title
(tên sáng kiến: a sentence, not a paragraph)."""

TITLE_MAX = NAME_MAX
"""An initiative's title."""

CAMPAIGN_TITLE_MAX = 500
"""A campaign plan's title (kế hoạch phát động thi đua ...), and computed one-line summaries."""

SINGLE_LINE_MAX = CAMPAIGN_TITLE_MAX
"""A text bounded at this many characters or fewer is one line: codes, names, titles, e-mail
addresses, file names. A line break or tab in one is refused (shared.http.input_guard); the
longer texts (reasons, notes, an initiative's problem and solution) may hold both."""

PATH_MAX = 1000
"""A unit's path from the federation down, 'CDDKVN/PVGAS/PVGAS-KCM/': 19 levels of 50-character
codes would fill it; the union tree has five."""

REASON_MAX = 2000
"""Why something was returned, rejected, revoked or closed early: a paragraph."""

NOTE_MAX = 4000
"""A registration's commitment, a complaint's summary, a reviewer's private note."""

LONG_TEXT_MAX = 20_000
"""An initiative's problem, solution, novelty and other benefits; a report's summary.

About eight pages of Vietnamese prose: the application form of Decree 13/2012/NĐ-CP asks for
a description, not a thesis, and drawings, calculations and appendices go in as attachments.
Finite so that one initiative is at most ~80,000 characters of content and a page of the list
(500 at most) stays a response a browser can hold; a 12 MB solution was once accepted."""

MESSAGE_SUBJECT_MAX = 300
"""A notification's subject line: rendered from a template that may quote a whole title, then
cut to this (services/notifications/domain/templates.py)."""

LANGUAGE_CODE_LENGTH = 2
"""'vi' or 'en' (ISO 639-1)."""

EMAIL_MAX = 254
"""An e-mail address (RFC 5321's limit on a path)."""

URL_MAX = 2000
"""A webhook's URL (what browsers and proxies reliably carry)."""

FILENAME_MAX = 255
"""An attachment's file name (what file systems store)."""

CONTENT_TYPE_MAX = 100
"""An attachment's media type, e.g. 'application/pdf'."""

STORAGE_KEY_MAX = 500
"""Where an attachment's bytes are kept (object storage key or relative path)."""

SHA256_HEX = 64
"""A SHA-256 digest, in hexadecimal."""

IDEMPOTENCY_KEY_MAX = 200
"""An Idempotency-Key header (shared.http.idempotency)."""

MONTH_LENGTH = 7
"""'yyyy-mm'."""

FINGERPRINT_MAX = 500
"""Reporting's fingerprint of the read models a phase's progress was computed from."""

# --- files ---------------------------------------------------------------------------------

CAMPAIGN_FILE_MAX_BYTES = 256 * 1024
"""A campaign file (YAML): the 2022 plan is 20 KB; twelve times that is a plan no federation
writes, and still parsed in well under a second."""

CAMPAIGN_FILE_MAX_NODES = 20_000
"""Values in a campaign file once its aliases (`*name`) are expanded: the 2022 plan has 634.
Counted while the file is read, so a few hundred bytes of nested aliases (a "billion laughs")
are refused at once instead of being expanded for seconds (issue 14: 24 s on the event loop)."""

CAMPAIGN_FILE_MAX_DEPTH = 32
"""Nesting of a campaign file's values: the 2022 plan goes 5 deep."""

ATTACHMENT_KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "application/pdf": (".pdf",),
        # Office Open XML: Word, Excel and PowerPoint files.
        "application/vnd.openxmlformats-officedocument": (".docx", ".xlsx", ".pptx"),
        "image/png": (".png",),
        "image/jpeg": (".jpg", ".jpeg"),
    }
)
"""What an initiative's attachment may be: documents, spreadsheets, scans and photos. Each
media type submissions accepts (told by the file's first bytes, whatever its name claims:
services/submissions/initiatives/attachments.py) with the names a file of it may carry; the
portal's hint lists them. Its size is a setting of submissions' (SUBMISSIONS_ATTACHMENT_MAX_BYTES),
not a bound of the contracts'."""

SPREADSHEET_FILE_MAX_BYTES = 5 * 1024 * 1024
"""An uploaded spreadsheet (XLSX or CSV) of units or initiatives: what the submissions API
reads (services/submissions/spreadsheet_reading) and the portal's import page says."""

# --- list sizes ---------------------------------------------------------------------------

PAGE_MAX = 500
"""Items one page of a list answers (`limit`). A page of initiatives is then at most 500 × the
four long texts (LONG_TEXT_MAX each): 40 million characters in theory, a few megabytes in
practice; a 12 MB solution once made one page 26 MB."""

ROWS_PAGE_MAX = 1_000
"""Items one page of a list of short rows answers (units, reports, counts per unit): no long
texts, so twice a page of initiatives; the whole union tree of a year fits in one."""

AUTHORS_MAX = 20
"""Authors of one initiative (Decree 13/2012 names each one with their share)."""

COUNCIL_MAX = 15
"""Members of one initiative's council."""

REVIEWER_POOL_MAX = 200
"""Reviewers an admin seats councils from, in one assignment."""

ASSIGNMENT_MAX = 1000
"""Initiatives one assignment seats councils on."""

MOVEMENTS_MAX = 30
"""Movements (phong trào) one registration joins."""

COMMITMENTS_MAX = 100
"""Commitments (nội dung đăng ký) of one registration."""

FIGURES_MAX = 200
"""Figures (by indicator name) in one report."""

REASONS_MAX = 50
"""The figures and rules an award's proposal quotes."""

TARGETS_MAX = 200
"""Targets of one campaign: what a standing lists as met or missed."""

EVENT_TYPES_MAX = 100
"""Event types a webhook subscriber chooses (the catalogue has fewer than 30)."""

AWARD_IDS_MAX = 20_000
"""Proposals one `awards.awaiting_decision.v1` lists: 20,000 UUIDs are ~780 KB of JSON, under
Kafka's 1 MB record limit with room for the envelope."""

# --- numbers ------------------------------------------------------------------------------

INT32_MAX = 2**31 - 1
"""PostgreSQL's `integer`: counts, ranks, rounds and revisions are stored in one."""

VND_MAX = 10**15
"""One amount of money, in whole đồng: 0 to one quadrillion (10^15, about 40 billion USD).

Far above any one initiative's benefit (a thousand billion đồng, 10^12, would already be
exceptional), and 10^15 < 9.22 × 10^18 = bigint's maximum, so one amount fits a `bigint`.

A sum does not: a million initiatives at the maximum are 10^6 × 10^15 = 10^21, past bigint
(which holds only 9,223 of them). So a stored sum is a NUMERIC(30, 0) (VND_TOTAL_DIGITS):
10^30 − 1 holds 10^15 amounts at the maximum, more initiatives than there will ever be."""

VND_TOTAL_DIGITS = 30
"""Digits of a stored sum of amounts (a NUMERIC(30, 0) column)."""

VND_TOTAL_MAX = 10**VND_TOTAL_DIGITS - 1
"""The greatest sum of amounts an event carries (a unit's subtree's benefit)."""

PERCENT_MAX = 100

# --- days ---------------------------------------------------------------------------------

DAY_MIN = date(2000, 1, 1)
DAY_MAX = date(2099, 12, 31)
"""The days a campaign's dates may fall on (its plan's period, phases and deadlines, so every
day a fact is checked against) and a complaint case's due date. A century of yearly plans from
the first one (2022), and eight thousand years short of Python's last day (9999-12-31): a day's
arithmetic (the day after a due date, received + the resolution days) cannot overflow into a
500, as a due date of 9999-12-31 did."""

# --- the types contracts, HTTP models and tables use --------------------------------------


def bounded(max_length: int) -> StringConstraints:
    return StringConstraints(max_length=max_length)


CampaignCode = Annotated[str, bounded(CAMPAIGN_CODE_MAX)]
Code = Annotated[str, bounded(CODE_MAX)]
MemberId = Annotated[str, bounded(MEMBER_ID_MAX)]
Subject = Annotated[str, bounded(SUBJECT_MAX)]
Word = Annotated[str, bounded(VOCABULARY_MAX)]
"""A value of a closed vocabulary (status, kind, level)."""
EventType = Annotated[str, bounded(EVENT_TYPE_MAX)]
PersonName = Annotated[str, bounded(PERSON_NAME_MAX)]
Name = Annotated[str, bounded(NAME_MAX)]
Title = Annotated[str, bounded(TITLE_MAX)]
CampaignTitle = Annotated[str, bounded(CAMPAIGN_TITLE_MAX)]
UnitPath = Annotated[str, bounded(PATH_MAX)]
Reason = Annotated[str, bounded(REASON_MAX)]
Note = Annotated[str, bounded(NOTE_MAX)]
LongText = Annotated[str, bounded(LONG_TEXT_MAX)]


def _maximum_as_money(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """An amount past its maximum refused as pydantic refuses it (same type, same bound), the
    bound written as money: "1,000,000,000,000,000 ₫", not 1000000000000000, which nobody
    reads at a glance. The context's `currency` tells shared.validation_messages to write it
    so in Vietnamese too. The minimum, 0, reads as it is."""
    try:
        return handler(value)
    except ValidationError as error:
        for problem in error.errors():
            maximum = problem.get("ctx", {}).get("le")
            if problem["type"] == "less_than_equal" and isinstance(maximum, int):
                raise PydanticCustomError(
                    "less_than_equal",
                    f"Input should be less than or equal to {maximum:,} ₫",
                    {"le": maximum, "currency": "VND"},
                ) from None
        raise


Vnd = Annotated[int, Field(ge=0, le=VND_MAX), WrapValidator(_maximum_as_money)]
"""An amount in whole đồng, 0 to VND_MAX."""
VndTotal = Annotated[int, Field(ge=0, le=VND_TOTAL_MAX)]
"""A sum of amounts, in whole đồng."""
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
"""A count stored in an `integer` column."""
Ordinal = Annotated[int, Field(ge=1, le=INT32_MAX)]
"""A rank, a round or a revision: from 1, stored in an `integer` column."""
Percent = Annotated[int, Field(ge=0, le=PERCENT_MAX)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A number that is one: JSON has no NaN nor infinity, yet a parser reads `NaN` and `1e999`.
A consumer that stores one (PostgreSQL's json refuses it) or sums it (every total after it
is NaN) disagrees with the others; the request and the event refuse it, naming the field."""
Day = Annotated[date, Field(ge=DAY_MIN, le=DAY_MAX)]
"""A day from DAY_MIN to DAY_MAX."""
