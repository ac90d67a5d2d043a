"""The development mailbox `make run` starts (shared/dev_mailbox.py): what is sent to it is
kept as a .eml file and listed on its page; notifications' email channel and delivery worker
reach it (delivered, not `dead`); and the demo people become contacts through notifications'
API, once, with the addresses, languages and digest choices that decide who is mailed.

No Kafka and no PostgreSQL: the catcher is a local SMTP server, and notifications runs on a
SQLite file with an unreachable broker (its HTTP API and delivery worker need neither)."""

import asyncio
import email
import email.policy
import re
import smtplib
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from services.notifications.bootstrap import define
from services.notifications.channels.email import Mail, SmtpSettings, send_email
from services.notifications.config import NotificationsSettings
from services.notifications.queries import contacts
from services.notifications.service.notifier import tell
from services.submissions.demo import ADMIN, MAIL_DOMAIN, demo_contacts, seed_contacts, token
from shared.db import create_engine, session_factory
from shared.dev_mailbox import DEFAULT_SMTP_PORT, DevMailbox, listing
from shared.dev_tokens import DEMO_USERS
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.support.infrastructure import free_port

SUBJECT = "Sáng kiến «Tối ưu hóa máy nén khí» đã được tiếp nhận"
BODY = "Kính gửi anh Nguyễn Văn An,\n\nSáng kiến của anh đã được Công đoàn Dầu khí tiếp nhận.\n"


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[DevMailbox]:
    with DevMailbox(tmp_path / "mail", smtp_port=free_port(), http_port=0) as catcher:
        yield catcher


def kept(folder: Path) -> list[EmailMessage]:
    messages = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    content = body.get_content()
    assert isinstance(content, str)
    return content


def test_a_message_is_kept_as_an_eml_file_and_listed_on_the_page(mailbox: DevMailbox) -> None:
    message = EmailMessage()
    message["From"] = "Thi Đua <thidua@congdoandaukhi.vn>"
    message["To"] = f"Nguyễn Văn An <annv@pvgas-kcm.{MAIL_DOMAIN}>"
    message["Subject"] = SUBJECT
    message["Date"] = "Tue, 01 Mar 2022 01:30:00 +0000"
    message.set_content(BODY, charset="utf-8")
    with smtplib.SMTP(mailbox.host, mailbox.smtp_port, timeout=10) as smtp:
        # One more recipient on the envelope only, as a Bcc is: the file says who got it.
        refused = smtp.send_message(
            message, to_addrs=[f"annv@pvgas-kcm.{MAIL_DOMAIN}", f"hoangtm@pvgas.{MAIL_DOMAIN}"]
        )
    assert refused == {}

    files = list(mailbox.folder.glob("*.eml"))
    assert len(files) == 1
    assert not list(mailbox.folder.glob(".*")), "no partial file left behind"
    (stored,) = kept(mailbox.folder)
    assert stored["Subject"] == SUBJECT  # RFC 2047 on the wire, decoded back
    assert stored.get_all("Delivered-To") == [
        f"annv@pvgas-kcm.{MAIL_DOMAIN}",
        f"hoangtm@pvgas.{MAIL_DOMAIN}",
    ]
    assert stored["Return-Path"] == "<thidua@congdoandaukhi.vn>"
    body = stored.get_body(("plain",))
    # Kept as it came: with SMTP's CRLF line ends.
    assert body is not None and body.get_content() == BODY.replace("\n", "\r\n")

    page = httpx.get(mailbox.page_url, timeout=5)
    assert page.status_code == 200
    assert "Sáng kiến «Tối ưu hóa máy nén khí» đã được tiếp nhận" in page.text
    assert "01/03/2022 08:30:00" in page.text  # the Date header, in Vietnam time
    assert "Nguyễn Văn An &lt;annv@pvgas-kcm.thidua.example&gt;" in page.text
    link = re.search(r'href="/m/([^"]+)"', page.text)
    assert link is not None and link.group(1) == files[0].name

    read = httpx.get(f"{mailbox.page_url}m/{files[0].name}", timeout=5)
    assert read.status_code == 200
    assert "Sáng kiến của anh đã được Công đoàn Dầu khí tiếp nhận." in read.text
    raw = httpx.get(f"{mailbox.page_url}raw/{files[0].name}", timeout=5)
    assert raw.content == files[0].read_bytes()


def test_the_page_serves_only_the_messages_it_kept(mailbox: DevMailbox, tmp_path: Path) -> None:
    (tmp_path / "secret.eml").write_text("Subject: not from the mailbox\n\nsecret\n")
    for path in ("m/..%2Fsecret.eml", "raw/../secret.eml", "m/nothing.eml", "elsewhere"):
        answer = httpx.get(f"{mailbox.page_url}{path}", timeout=5)
        assert answer.status_code == 404, path
        assert "secret" not in answer.text
    assert "Chưa có thư nào" in httpx.get(mailbox.page_url, timeout=5).text


def test_notifications_email_channel_delivers_to_the_catcher(mailbox: DevMailbox) -> None:
    delivery_id = uuid4()
    settings = SmtpSettings(host=mailbox.host, port=mailbox.smtp_port, timeout=10)
    outcome = asyncio.run(
        send_email(
            settings,
            Mail(
                f"Nguyễn Văn An <annv@pvgas-kcm.{MAIL_DOMAIN}>",
                SUBJECT,
                BODY,
                "<p>Kính gửi anh Nguyễn Văn An,</p>",
                delivery_id,
                language="vi",
            ),
        )
    )
    assert outcome.ok, outcome.error
    assert outcome.status_code == 250
    (stored,) = kept(mailbox.folder)
    assert stored["X-Thidua-Delivery-Id"] == str(delivery_id)
    assert stored["Subject"] == SUBJECT
    (listed,) = listing(mailbox.folder)
    assert listed.subject == SUBJECT


def test_the_catcher_listens_where_notifications_sends_by_default() -> None:
    """`make run` gives notifications no SMTP settings: its defaults must be the catcher's."""
    defaults = NotificationsSettings.model_fields
    assert defaults["smtp_host"].default == "127.0.0.1"
    assert defaults["smtp_port"].default == DEFAULT_SMTP_PORT


def test_demo_people_have_unique_reserved_addresses_and_both_choices() -> None:
    people = demo_contacts()
    by_id = {person.person_id: person for person in people}
    assert len(by_id) == len(people)
    assert {user.subject for user in DEMO_USERS.values()} <= set(by_id)
    assert by_id["PVGAS-0001"].is_officer and by_id["CDDKVN-0001"].is_officer
    assert not by_id["PVGAS-0012"].is_officer and not by_id["CDDKVN-0101"].is_officer
    assert by_id["PVGAS-CB01"].is_officer  # who registers PVGAS and hears it was approved
    assert len({person.email for person in people}) == len(people)
    assert all(person.email.endswith(f".{MAIL_DOMAIN}") for person in people)
    assert by_id["PVGAS-0012"].email == f"annv@pvgas-kcm.{MAIL_DOMAIN}"
    assert [p.person_id for p in people if p.language == "en"] == ["VSP-0088"]
    daily = [p for p in people if p.daily_digest]
    assert 0 < len(daily) < len(people) / 2


@pytest.fixture
def notifications(tmp_path: Path, mailbox: DevMailbox) -> Iterator[tuple[TestClient, str]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'notifications.sqlite3'}"
    upgrade_to_head("services.notifications", url)
    settings = NotificationsSettings(
        database_url=url,
        kafka_bootstrap_servers="127.0.0.1:1",  # no broker: events are not needed here
        smtp_host=mailbox.host,
        smtp_port=mailbox.smtp_port,
        worker_poll_seconds=0.1,
    )
    with TestClient(create_app(define(settings))) as client:
        yield client, url


async def tell_registration_approved(url: str, person_ids: list[str]) -> None:
    """What notifications does when an event names these people: an inbox message each, and
    an email for those with an address who did not choose the digest."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            people = await contacts(session, person_ids)
            await tell(
                session,
                (uuid4(), "vn.congdoandaukhi.thidua.registration.approved.v1"),
                "registration_approved",
                people,
                {
                    "unit_name": "Công đoàn Tổng công ty Khí Việt Nam",
                    "phase_name": "Đợt 1",
                    "at": date(2022, 3, 15),
                    "movements": ["Lao động giỏi, lao động sáng tạo"],
                },
                datetime.now(UTC),
            )
    finally:
        await engine.dispose()


def emails_when_settled(client: TestClient, expected: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        deliveries: list[dict[str, Any]] = client.get(
            "/api/v1/deliveries", params={"channel": "email"}, headers=token(*ADMIN)
        ).json()
        settled = [d for d in deliveries if d["status"] in ("sent", "dead")]
        if len(settled) >= expected or time.monotonic() > deadline:
            return deliveries
        time.sleep(0.2)


def test_demo_contacts_are_made_once_through_the_api_and_their_mail_arrives(
    notifications: tuple[TestClient, str], mailbox: DevMailbox
) -> None:
    client, url = notifications
    people = demo_contacts()
    assert seed_contacts(client) == len(people)

    admin = token(*ADMIN)
    listed = {c["person_id"]: c for c in client.get("/api/v1/contacts", headers=admin).json()}
    for person in people:
        assert listed[person.person_id] == {"person_id": person.person_id, **person.body()}

    # An admin's change since is kept, and a second run writes nothing.
    changed = {**listed["PVGAS-0047"], "daily_digest": True}
    assert client.put("/api/v1/contacts/PVGAS-0047", json=changed, headers=admin).is_success
    assert seed_contacts(client) == 0
    after = {c["person_id"]: c for c in client.get("/api/v1/contacts", headers=admin).json()}
    assert len(after) == len(people)
    assert after["PVGAS-0047"]["daily_digest"] is True

    # PVGAS's officer (Vietnamese, at once), the Vietsovpetro author (English, at once) and
    # BSR's officer (the daily digest: no email now).
    asyncio.run(tell_registration_approved(url, ["PVGAS-CB01", "VSP-0088", "BSR-0001"]))
    deliveries = emails_when_settled(client, expected=2)
    assert sorted((d["recipient_id"], d["status"]) for d in deliveries) == [
        ("PVGAS-CB01", "sent"),
        ("VSP-0088", "sent"),
    ]
    stored = {message["To"]: message for message in kept(mailbox.folder)}
    assert set(stored) == {f"congdoan@pvgas.{MAIL_DOMAIN}", f"huongntt@vsp.{MAIL_DOMAIN}"}
    vietnamese = stored[f"congdoan@pvgas.{MAIL_DOMAIN}"]
    english = stored[f"huongntt@vsp.{MAIL_DOMAIN}"]
    assert "đã được phê duyệt" in vietnamese["Subject"]
    assert "Kính gửi Cán bộ Công đoàn PVGAS," in text_of(vietnamese)
    assert english["Subject"].endswith("approved")
    assert "Dear Nguyễn Thị Thanh Hương," in text_of(english)
    page = httpx.get(mailbox.page_url, timeout=5).text
    assert vietnamese["Subject"] in page
