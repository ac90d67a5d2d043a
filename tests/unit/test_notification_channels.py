"""Notification channels on real servers: email to an SMTP server (aiosmtpd) on loopback,
webhooks to an HTTP receiver on loopback that checks the signature with its own code; and the
message templates in both languages."""

import asyncio
import email
import email.policy
import hashlib
import hmac
import json
import re
import time
import unicodedata
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from services.notifications.channels.email import Mail, SmtpSettings, build_email, send_email
from services.notifications.channels.webhook import (
    DELIVERY_ID_HEADER,
    SIGNATURE_HEADER,
    post_webhook,
    sign,
    signature_header,
    verify,
)
from services.notifications.config import NotificationsSettings
from services.notifications.domain.templates import (
    TRIGGERS,
    TemplateContextError,
    TemplateDataError,
    Templates,
    UnknownTriggerError,
    render,
    variables,
)
from shared.contracts.initiatives import InitiativeAuthor
from shared.contracts.vocabulary import LANGUAGES, Language
from shared.data_files import read_yaml
from tests.support.infrastructure import free_port

EVENT_TYPE = "vn.congdoandaukhi.thidua.initiative.submitted.v1"
SECRET = "whsec_pvgas_3f9a1c"
NEW_SECRET = "whsec_pvgas_rotated_77d2"


# Message contexts, one per trigger ---------------------------------------------------------

AN = "Nguyễn Văn An"
NHUNG = "Lê Thị Hồng Nhung"
KCM = "Công đoàn Công ty Khí Cà Mau"
TITLE = "Giảm tiêu hao hơi nước tại phân xưởng chưng cất"
BANG_KHEN = "Bằng khen của Công đoàn Dầu khí Việt Nam"

CONTEXTS: dict[str, dict[str, Any]] = {
    "initiative_received": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        # 23:30 UTC on 29 June is already 30 June in Vietnam.
        "submitted_at": datetime(2022, 6, 29, 23, 30, tzinfo=UTC),
        "authors": [
            {"full_name": AN, "share_percent": 60},
            {"full_name": "Trần Thị Bình", "share_percent": 40},
        ],
        "expected_benefit_vnd": 1_200_000_000,
    },
    "initiative_amended": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        "round": 2,
        "at": datetime(2022, 7, 10, 3, 0, tzinfo=UTC),
    },
    "initiative_withdrawn": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        "withdrawn_at": datetime(2022, 6, 20, 2, 0, tzinfo=UTC),
    },
    "initiative_under_review": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        "assigned_at": datetime(2022, 7, 1, 2, 0, tzinfo=UTC),
        "council_size": 3,
    },
    "initiative_returned": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        "decided_at": datetime(2022, 7, 4, 2, 0, tzinfo=UTC),
        "reason": "Thiếu số liệu đo đạc trước và sau khi áp dụng.",
    },
    "initiative_recognised": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        "decided_at": date(2022, 7, 15),
        "weighted_score": 8.75,
        "max_score": 10,
        "votes_for": 3,
        "council_size": 3,
    },
    "initiative_not_recognised": {
        "addressee_name": AN,
        "title": TITLE,
        "unit_name": KCM,
        "decided_at": date(2022, 7, 15),
        "weighted_score": 5.5,
        "max_score": 10,
        "votes_for": 1,
        "council_size": 3,
    },
    "registration_returned": {
        "addressee_name": NHUNG,
        "unit_name": KCM,
        "phase_name": "Đợt 1",
        "at": datetime(2022, 3, 2, 8, 0, tzinfo=UTC),
        "reason": "Chưa nêu chỉ tiêu cụ thể cho phong trào «Xanh - Sạch - Đẹp».",
    },
    "registration_approved": {
        "addressee_name": NHUNG,
        "unit_name": KCM,
        "phase_name": "Đợt 1",
        "at": datetime(2022, 3, 5, 8, 0, tzinfo=UTC),
        "movements": ["Lao động giỏi, lao động sáng tạo", "Giỏi việc nước, đảm việc nhà"],
    },
    "report_due": {
        "addressee_name": NHUNG,
        "unit_name": KCM,
        "phase_name": "Đợt 1",
        "due_on": date(2022, 6, 30),
        "days_left": 5,
    },
    "phase_closed": {
        "addressee_name": NHUNG,
        "unit_name": KCM,
        "phase_name": "Đợt 1",
        "closed_at": datetime(2022, 7, 8, 3, 0, tzinfo=UTC),
        "rank": 3,
        "unit_count": 25,
        "level": "grassroots",
        "points": 85,
        "targets_met": 6,
        "targets_count": 7,
        "initiatives_count": 1250,
        "revision": 1,
    },
    "awards_awaiting_decision": {
        "addressee_name": NHUNG,
        "phase_name": "Đợt 1",
        "campaign_title": "Kế hoạch phát động thi đua năm 2022",
        "awaiting": 12,
        "proposed": 12,
        "withdrawn": 0,
        "at": datetime(2022, 7, 8, 3, 5, tzinfo=UTC),
    },
    "award_granted": {
        "addressee_name": NHUNG,
        "recipient_name": AN,
        "unit_name": KCM,
        "award_name": BANG_KHEN,
        "level": "federation",
        "reasons": ["Có sáng kiến xuất sắc năm 2022", "Điểm sáng kiến 8,75/10"],
        "at": date(2022, 12, 28),
    },
    "award_revoked": {
        "addressee_name": AN,
        "recipient_name": AN,
        "unit_name": KCM,
        "award_name": BANG_KHEN,
        "reason": "Thành tích đã được khen thưởng trùng lặp.",
        "at": date(2023, 1, 10),
    },
    "daily_digest": {
        "addressee_name": AN,
        "day": date(2022, 6, 30),
        "items": [
            {
                "created_at": datetime(2022, 6, 30, 1, 15, tzinfo=UTC),
                "subject": f"Đã tiếp nhận sáng kiến «{TITLE}»",
            },
            {
                "created_at": datetime(2022, 6, 30, 9, 40, tzinfo=UTC),
                "subject": "Nhắc hạn: còn 5 ngày để nộp báo cáo thi đua Đợt 1",
            },
        ],
    },
}

# What each rendering must say (subject and text together), by trigger and language; a trigger
# written twice would silently be one check less (read_yaml refuses it).
EXPECTED: dict[str, dict[Language, list[str]]] = read_yaml(
    Path(__file__).parent / "notification_texts.yaml"
)


# Templates -----------------------------------------------------------------------------------


def test_every_trigger_has_a_context_and_expectations() -> None:
    assert set(TRIGGERS) == set(CONTEXTS) == set(EXPECTED)
    for trigger in TRIGGERS:
        assert set(CONTEXTS[trigger]) == set(variables(trigger)), trigger


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_template_renders_with_diacritics(trigger: str, language: Language) -> None:
    rendered = render(trigger, language, CONTEXTS[trigger])
    whole = rendered.subject + "\n" + rendered.text
    for expected in EXPECTED[trigger][language]:
        assert expected in whole, f"{expected!r} not in:\n{whole}"
    assert "\n" not in rendered.subject and rendered.subject == rendered.subject.strip()
    greeting, signature = {"vi": ("Kính gửi", "Trân trọng"), "en": ("Dear", "Kind regards")}[
        language
    ]
    assert rendered.text.startswith(f"{greeting} {CONTEXTS[trigger]['addressee_name']},")
    assert signature in rendered.text
    assert unicodedata.is_normalized("NFC", rendered.text)
    assert f'<html lang="{language}">' in rendered.html
    assert CONTEXTS[trigger]["addressee_name"] in rendered.html
    assert "  " not in rendered.subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_missing_variable_raises_instead_of_rendering_a_blank(
    trigger: str, language: Language
) -> None:
    for name in CONTEXTS[trigger]:
        context = {key: value for key, value in CONTEXTS[trigger].items() if key != name}
        with pytest.raises(TemplateContextError) as refused:
            render(trigger, language, context)
        assert refused.value.missing == {name}


def test_a_missing_attribute_of_an_item_raises() -> None:
    context = dict(CONTEXTS["initiative_received"], authors=[{"full_name": AN}])
    with pytest.raises(TemplateContextError, match="share_percent"):
        render("initiative_received", "vi", context)
    no_subject = dict(CONTEXTS["daily_digest"], items=[{"created_at": datetime.now(UTC)}])
    with pytest.raises(TemplateContextError, match="subject"):
        render("daily_digest", "en", no_subject)


def test_contract_models_work_as_context_values() -> None:
    authors = [InitiativeAuthor(member_id="PVGAS-0012", full_name=AN, share_percent=100)]
    context = dict(CONTEXTS["initiative_received"], authors=authors)
    assert f"- {AN} (100%)" in render("initiative_received", "vi", context).text


def test_values_are_escaped_in_html_only() -> None:
    context = dict(CONTEXTS["initiative_returned"], reason='<script>alert("x")</script> & co')
    rendered = render("initiative_returned", "vi", context)
    assert '<script>alert("x")</script> & co' in rendered.text
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in rendered.html
    assert "<p>Lý do: &lt;script&gt;" in rendered.html


def test_lists_and_link_in_html() -> None:
    context = dict(CONTEXTS["registration_approved"], link="https://thidua.example/dk?id=1&x=2")
    rendered = render("registration_approved", "vi", context)
    assert "<li>Lao động giỏi, lao động sáng tạo</li>" in rendered.html
    assert '<a href="https://thidua.example/dk?id=1&amp;x=2">Xem chi tiết</a>' in rendered.html
    assert "Xem chi tiết: https://thidua.example/dk?id=1&x=2" in rendered.text
    with pytest.raises(TemplateContextError, match="link"):
        render("registration_approved", "vi", dict(context, link="javascript:alert(1)"))


def test_decomposed_input_comes_out_composed() -> None:
    decomposed = unicodedata.normalize("NFD", AN)
    assert decomposed != AN
    rendered = render(
        "award_granted", "vi", dict(CONTEXTS["award_granted"], addressee_name=decomposed)
    )
    assert f"Kính gửi {AN}," in rendered.text


@pytest.mark.parametrize(
    ("days_left", "language", "subject_part", "text_part"),
    [
        (1, "en", "1 day left", "(1 day left)"),
        (0, "en", "is due today", "Today, 30/06/2022, is the last day"),
        (-2, "en", "is overdue", "it is 2 days overdue"),
        (0, "vi", "Hôm nay là hạn nộp", "là hạn cuối"),
        (-2, "vi", "Quá hạn nộp", "đã quá hạn 2 ngày"),
    ],
)
def test_report_reminder_before_on_and_after_the_due_date(
    days_left: int, language: Language, subject_part: str, text_part: str
) -> None:
    rendered = render("report_due", language, dict(CONTEXTS["report_due"], days_left=days_left))
    assert subject_part in rendered.subject
    assert text_part in rendered.text


def test_filters_take_naive_datetimes_as_utc_and_refuse_fractions_of_a_dong() -> None:
    naive = dict(CONTEXTS["initiative_received"], submitted_at=datetime(2022, 6, 30, 18, 0))
    assert "01/07/2022" in render("initiative_received", "vi", naive).text
    fraction = dict(CONTEXTS["initiative_received"], expected_benefit_vnd=10.5)
    with pytest.raises(TemplateContextError, match="whole"):
        render("initiative_received", "vi", fraction)
    no_benefit = dict(CONTEXTS["initiative_received"], expected_benefit_vnd=None)
    assert "₫" not in render("initiative_received", "vi", no_benefit).text


def test_unknown_trigger_and_language() -> None:
    with pytest.raises(UnknownTriggerError):
        render("initiative_exploded", "vi", {})
    with pytest.raises(ValueError):
        render("report_due", "fr", CONTEXTS["report_due"])  # type: ignore[arg-type]


def test_a_template_file_reading_an_undocumented_variable_is_refused() -> None:
    data: dict[str, Any] = {
        "common": {
            language: {"signature": "—", "link_label": "x", "labels": {}} for language in LANGUAGES
        },
        "html_layout": "{{ content }}",
        "triggers": {
            "ping": {
                "audience": "anyone",
                "variables": {"name": "str"},
                "vi": {"subject": "Chào {{ name }}", "body": "Chào {{ name }}"},
                "en": {"subject": "Hi {{ name }}", "body": "Hi {{ name }} {{ surname }}"},
            }
        },
    }
    with pytest.raises(TemplateDataError, match=r"triggers\.ping\.en.*surname"):
        Templates.from_data(data)
    data["triggers"]["ping"]["en"]["body"] = "Hi {{ name }}"
    assert Templates.from_data(data).render("ping", "en", {"name": "An"}).subject == "Hi An"


# Email over a real SMTP server -------------------------------------------------------------


@dataclass
class MailStore:
    """An aiosmtpd handler that stores what it accepts, or answers with the codes it is given."""

    rcpt_reply: str | None = None
    data_reply: str | None = None
    received: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        self.received.append(envelope)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(handler: MailStore) -> Iterator[SmtpSettings]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpSettings(
            host="127.0.0.1", port=port, start_tls=False, timeout=5, local_hostname="thidua.test"
        )
    finally:
        controller.stop()


def parse(envelope: Envelope) -> EmailMessage:
    assert isinstance(envelope.content, bytes)
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    assert isinstance(content, str)
    return content


async def test_email_arrives_with_vietnamese_subject_and_body() -> None:
    store = MailStore()
    rendered = render("initiative_received", "vi", CONTEXTS["initiative_received"])
    delivery_id = uuid4()
    with smtp_server(store) as settings:
        to = f"{AN} <an.nguyen@pvgas.com.vn>"
        mail = Mail(to, rendered.subject, rendered.text, rendered.html, delivery_id, "vi")
        outcome = await send_email(settings, mail)
    assert outcome.ok, outcome
    assert (outcome.status_code, outcome.error, outcome.retryable) == (250, None, False)
    assert outcome.duration_ms > 0

    (envelope,) = store.received
    assert envelope.mail_from == "thidua@congdoandaukhi.vn"
    assert envelope.rcpt_tos == ["an.nguyen@pvgas.com.vn"]
    assert isinstance(envelope.content, bytes)
    raw_headers = envelope.content.split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii(), "headers must be RFC 2047 encoded on the wire"
    assert b"=?utf-8?" in raw_headers

    message = parse(envelope)
    assert message["Subject"] == f"Đã tiếp nhận sáng kiến «{TITLE}»"
    assert message["From"].addresses[0].display_name == "Thi Đua"
    assert message["To"].addresses[0].display_name == AN
    assert message["Message-ID"] == f"<thidua.{delivery_id}@congdoandaukhi.vn>"
    assert message["X-Thidua-Delivery-Id"] == str(delivery_id)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "vi"
    assert message.get_content_type() == "multipart/alternative"
    text = body_of(message, "plain")
    html = body_of(message, "html")
    assert message["Subject"].startswith("Đã tiếp nhận sáng kiến")
    for expected in (AN, "Trần Thị Bình", "1.200.000.000 ₫", "30/06/2022", "Trân trọng"):
        assert expected in text
        assert expected in html
    assert html.lstrip().startswith("<!DOCTYPE html>")


async def test_a_resent_email_keeps_its_message_id() -> None:
    store = MailStore()
    delivery_id = uuid4()
    with smtp_server(store) as settings:
        for _ in range(2):
            mail = Mail("an.nguyen@pvgas.com.vn", "Thử lại", "Nội dung", None, delivery_id)
            outcome = await send_email(settings, mail)
            assert outcome.ok
    first, second = (parse(envelope) for envelope in store.received)
    assert first["Message-ID"] == second["Message-ID"]
    assert first.get_content_type() == "text/plain"  # no HTML given, no alternative


@pytest.mark.parametrize(
    ("handler", "code", "retryable"),
    [
        (MailStore(data_reply="451 4.3.0 Hệ thống bận, thử lại sau"), 451, True),
        (MailStore(rcpt_reply="450 4.2.1 Mailbox busy"), 450, True),
        (MailStore(rcpt_reply="550 5.1.1 No such user"), 550, False),
        (MailStore(data_reply="554 5.7.1 Message rejected"), 554, False),
    ],
    ids=["data-451", "rcpt-450", "rcpt-550", "data-554"],
)
async def test_smtp_refusals_are_classified(handler: MailStore, code: int, retryable: bool) -> None:
    with smtp_server(handler) as settings:
        mail = Mail("an.nguyen@pvgas.com.vn", "Chủ đề", "Nội dung", None, uuid4())
        outcome = await send_email(settings, mail)
    assert not outcome.ok
    assert outcome.status_code == code
    assert outcome.retryable is retryable
    assert outcome.error and str(code) in outcome.error
    assert handler.received == []


async def test_an_unreachable_smtp_server_is_retryable() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=5, local_hostname="t")
    mail = Mail("an@pvgas.com.vn", "Chủ đề", "Nội dung", None, uuid4())
    outcome = await send_email(settings, mail)
    assert (outcome.ok, outcome.status_code, outcome.retryable) == (False, None, True)
    assert outcome.error


async def test_an_unusable_address_is_refused_for_good_without_sending() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=5)
    outcome = await send_email(settings, Mail("không phải địa chỉ", "Chủ đề", "x", None, uuid4()))
    assert (outcome.ok, outcome.retryable) == (False, False)
    assert outcome.error and outcome.error.startswith("invalid message")


def test_smtp_settings_refuse_contradictions() -> None:
    with pytest.raises(ValueError):
        SmtpSettings(use_tls=True, start_tls=True)
    with pytest.raises(ValueError):
        SmtpSettings(sender="Thi Đua")
    assert SmtpSettings().sender == "Thi Đua <thidua@congdoandaukhi.vn>"
    message = build_email(SmtpSettings().sender, Mail("a@b.vn", "Chủ đề", "x", None, uuid4()))
    with pytest.raises(ValueError):
        build_email(SmtpSettings().sender, Mail("a@b.vn", "Hai\ndòng", "x", None, uuid4()))
    assert message["Date"]


# Webhooks to a real HTTP receiver ------------------------------------------------------------


def receiver_accepts(body: bytes, header: str, secrets: Sequence[str]) -> bool:
    """The receiver's own check, written from the documentation with the standard library."""
    pairs = [item.split("=", 1) for item in header.split(",")]
    timestamp = next(value for key, value in pairs if key == "t")
    if abs(time.time() - int(timestamp)) > 300:
        return False
    signed = timestamp.encode() + b"." + body
    expected = [hmac.new(s.encode(), signed, hashlib.sha256).hexdigest() for s in secrets]
    return any(
        hmac.compare_digest(e, value) for e in expected for key, value in pairs if key == "v1"
    )


@dataclass
class Delivery:
    delivery_id: str
    event_type: str
    content_type: str
    body: bytes
    signature_ok: bool


@dataclass
class Receiver:
    """A small HTTP/1.1 server on loopback: answers `status` after `delay` seconds."""

    secrets: tuple[str, ...] = (SECRET,)
    status: int = 200
    delay: float = 0.0
    extra_headers: dict[str, str] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readline()  # POST /hook HTTP/1.1
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.deliveries.append(
                Delivery(
                    delivery_id=headers.get("thidua-delivery-id", ""),
                    event_type=headers.get("thidua-event-type", ""),
                    content_type=headers.get("content-type", ""),
                    body=body,
                    signature_ok=receiver_accepts(
                        body, headers.get("thidua-signature", ""), self.secrets
                    ),
                )
            )
            await asyncio.sleep(self.delay)
            payload = b"ok" if self.status < 300 else b"refused: " + str(self.status).encode()
            head = f"HTTP/1.1 {self.status} Status\r\nContent-Length: {len(payload)}\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in self.extra_headers.items())
            writer.write(head.encode() + b"Connection: close\r\n\r\n" + payload)
            await writer.drain()
        finally:
            writer.close()


@asynccontextmanager
async def http_receiver(receiver: Receiver) -> AsyncIterator[Receiver]:
    tasks: set[asyncio.Task[Any]] = set()

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            await receiver.handle(reader, writer)
        finally:
            tasks.discard(task)

    server = await asyncio.start_server(tracked, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as http:
        yield http


BODY = json.dumps(
    {"initiative_id": str(uuid4()), "title": TITLE, "authors": [{"full_name": AN}]},
    ensure_ascii=False,
).encode()


async def test_a_webhook_is_delivered_signed_and_identified(client: httpx.AsyncClient) -> None:
    delivery_id = uuid4()
    async with http_receiver(Receiver()) as receiver:
        first = await post_webhook(
            client, receiver.url, BODY, SECRET, delivery_id, EVENT_TYPE, timeout=5
        )
        retry = await post_webhook(
            client, receiver.url, BODY, SECRET, delivery_id, EVENT_TYPE, timeout=5
        )
    for outcome in (first, retry):
        assert (outcome.ok, outcome.status_code, outcome.error) == (True, 200, None)
        assert outcome.duration_ms > 0
    assert len(receiver.deliveries) == 2
    for delivery in receiver.deliveries:
        assert delivery.signature_ok
        assert delivery.body == BODY  # the exact bytes, Vietnamese in UTF-8
        assert delivery.event_type == EVENT_TYPE
        assert delivery.content_type == "application/json; charset=utf-8"
    # The same delivery id on a retry: the receiver can tell it already has it.
    assert {d.delivery_id for d in receiver.deliveries} == {str(delivery_id)}


async def test_a_receiver_with_another_secret_rejects_the_signature(
    client: httpx.AsyncClient,
) -> None:
    async with http_receiver(Receiver(secrets=("whsec_someone_else",))) as receiver:
        await post_webhook(client, receiver.url, BODY, SECRET, uuid4(), EVENT_TYPE, timeout=5)
    (delivery,) = receiver.deliveries
    assert not delivery.signature_ok


@pytest.mark.parametrize("receiver_secret", [SECRET, NEW_SECRET])
async def test_during_rotation_both_old_and_new_receivers_accept(
    client: httpx.AsyncClient, receiver_secret: str
) -> None:
    async with http_receiver(Receiver(secrets=(receiver_secret,))) as receiver:
        outcome = await post_webhook(
            client, receiver.url, BODY, [SECRET, NEW_SECRET], uuid4(), EVENT_TYPE, timeout=5
        )
    assert outcome.ok
    (delivery,) = receiver.deliveries
    assert delivery.signature_ok


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (503, True), (429, True), (400, False), (410, False)]
)
async def test_refusals_are_classified(
    client: httpx.AsyncClient, status: int, retryable: bool
) -> None:
    async with http_receiver(Receiver(status=status)) as receiver:
        outcome = await post_webhook(
            client, receiver.url, BODY, SECRET, uuid4(), EVENT_TYPE, timeout=5
        )
    assert (outcome.ok, outcome.status_code, outcome.retryable) == (False, status, retryable)
    assert outcome.error and outcome.error.startswith(f"HTTP {status}")
    assert f"refused: {status}" in outcome.error


async def test_retry_after_is_reported(client: httpx.AsyncClient) -> None:
    async with http_receiver(Receiver(status=429, extra_headers={"Retry-After": "30"})) as r:
        outcome = await post_webhook(client, r.url, BODY, SECRET, uuid4(), EVENT_TYPE, timeout=5)
    assert outcome.retryable and outcome.retry_after_seconds == 30


async def test_a_receiver_slower_than_the_timeout_is_retryable(
    client: httpx.AsyncClient,
) -> None:
    async with http_receiver(Receiver(delay=3)) as receiver:
        outcome = await post_webhook(
            client, receiver.url, BODY, SECRET, uuid4(), EVENT_TYPE, timeout=0.3
        )
    assert (outcome.ok, outcome.status_code, outcome.retryable) == (False, None, True)
    assert outcome.error and "timeout" in outcome.error
    assert 250 <= outcome.duration_ms < 2000
    assert len(receiver.deliveries) == 1  # it did arrive; only the answer was late


async def test_nobody_listening_is_retryable_and_a_bad_url_is_not(
    client: httpx.AsyncClient,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/hook"
    outcome = await post_webhook(client, closed, BODY, SECRET, uuid4(), EVENT_TYPE, timeout=5)
    assert (outcome.ok, outcome.status_code, outcome.retryable) == (False, None, True)
    assert outcome.error
    outcome = await post_webhook(client, "ftp://x/y", BODY, SECRET, uuid4(), EVENT_TYPE, timeout=5)
    assert (outcome.ok, outcome.retryable) == (False, False)


async def test_the_signature_uses_the_clock_it_is_given(client: httpx.AsyncClient) -> None:
    async with http_receiver(Receiver()) as receiver:
        await post_webhook(
            client, receiver.url, BODY, SECRET, uuid4(), EVENT_TYPE, timeout=5, now=lambda: 1e9
        )
    (delivery,) = receiver.deliveries
    assert not delivery.signature_ok  # 2001: far outside the receiver's tolerance


# verify, the receiver side we document -------------------------------------------------------

NOW = 1_656_558_000  # 30/06/2022 10:00 in Vietnam


def test_sign_gives_the_documented_header() -> None:
    header = sign(BODY, SECRET, NOW)
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={NOW},v1={expected}"
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", header)


def test_verify_accepts_the_genuine_request() -> None:
    assert verify(BODY, sign(BODY, SECRET, NOW), [SECRET], now=NOW)
    assert verify(BODY, sign(BODY, SECRET, NOW), [SECRET], now=NOW + 300)


def test_verify_rejects_a_tampered_body() -> None:
    header = sign(BODY, SECRET, NOW)
    tampered = BODY.replace("Giảm".encode(), "Tăng".encode())
    assert tampered != BODY
    assert not verify(tampered, header, [SECRET], now=NOW)
    assert not verify(BODY + b" ", header, [SECRET], now=NOW)


def test_verify_rejects_a_wrong_secret() -> None:
    assert not verify(BODY, sign(BODY, SECRET, NOW), ["whsec_wrong"], now=NOW)


def test_verify_rejects_stale_and_future_timestamps() -> None:
    header = sign(BODY, SECRET, NOW)
    assert not verify(BODY, header, [SECRET], now=NOW + 301)
    assert not verify(BODY, header, [SECRET], now=NOW - 301)
    assert verify(BODY, header, [SECRET], now=NOW + 3000, tolerance_seconds=3600)


def test_verify_accepts_either_secret_during_rotation() -> None:
    old_signed = sign(BODY, SECRET, NOW)
    new_signed = sign(BODY, NEW_SECRET, NOW)
    both_signed = signature_header(BODY, [SECRET, NEW_SECRET], NOW)
    assert both_signed.count("v1=") == 2
    for header in (old_signed, new_signed, both_signed):
        assert verify(BODY, header, [SECRET, NEW_SECRET], now=NOW)
    assert verify(BODY, both_signed, [SECRET], now=NOW)
    assert verify(BODY, both_signed, [NEW_SECRET], now=NOW)
    assert not verify(BODY, new_signed, [SECRET], now=NOW)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        "v1=" + "0" * 64,
        f"t={NOW}",
        f"t=abc,v1={'0' * 64}",
        f"t={NOW},t={NOW},v1={'0' * 64}",
        f"t={NOW},v1=not-hex-é",
    ],
)
def test_verify_rejects_malformed_headers(header: str) -> None:
    assert not verify(BODY, header, [SECRET], now=NOW)


def test_verify_needs_a_secret() -> None:
    with pytest.raises(ValueError):
        verify(BODY, sign(BODY, SECRET, NOW), [], now=NOW)


def test_header_names() -> None:
    assert (SIGNATURE_HEADER, DELIVERY_ID_HEADER) == ("Thidua-Signature", "Thidua-Delivery-Id")


def test_the_service_sends_from_the_channel_s_default_sender(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NOTIFICATIONS_SMTP_SENDER", raising=False)
    assert NotificationsSettings().smtp_sender == SmtpSettings().sender
