"""Notifications on the real broker and PostgreSQL, as a real process, delivering to a real
SMTP server and to webhook receivers that check signatures on their own."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from shared.contracts import (
    CampaignPublished,
    EventData,
    InitiativeAuthor,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeSubmitted,
    PhaseClosed,
    PhaseOpened,
    RegistrationApproved,
    RegistrationReturned,
    ReportSubmitted,
    UnitRecorded,
)
from shared.formatting import VIETNAM_TIME
from shared.messaging.cloudevents import KafkaRecord, new_envelope, to_record
from tests.e2e.conftest import ADMIN
from tests.support.infrastructure import kafka_bootstrap
from tests.support.kafka_probe import produce
from tests.support.polling import eventually
from tests.support.receivers import Mailbox, Received, WebhookReceivers, start_smtp
from tests.support.services import ServiceProcess, metric, running_service
from tests.unit.event_examples import decision, granted, revoked, standing
from tests.unit.event_examples import submitted as initiative_submitted

RUN = uuid4().hex[:6].upper()
CAMPAIGN = f"T{RUN}"
UNIT, OTHER = f"N-{RUN}-A", f"N-{RUN}-B"
OFFICER, OTHER_OFFICER, AUTHOR = f"{UNIT}-CB", f"{OTHER}-CB", f"{UNIT}-0001"


# Where this module's events happen, in the builders of tests/unit/event_examples.
HERE = {"campaign_code": CAMPAIGN, "unit_code": UNIT}


def about_an(title: str) -> dict[str, Any]:
    """A decision's fields about a new initiative of UNIT's, AUTHOR's alone."""
    return {**HERE, "initiative_id": uuid4(), "title": title, "author_ids": (AUTHOR,)}


def email(person: str) -> str:
    return f"{person.lower()}@example.vn"


class System:
    def __init__(
        self, service: ServiceProcess, mailbox: Mailbox, hooks: WebhookReceivers, kafka: str
    ) -> None:
        self.service, self.mailbox, self.hooks, self.kafka = service, mailbox, hooks, kafka

    async def publish(self, *events: EventData, twice: bool = False) -> list[KafkaRecord]:
        records = [to_record(new_envelope(e, source="/thidua/tests", subject=RUN)) for e in events]
        sent = [r for r in records for _ in range(2 if twice else 1)]
        for topic in dict.fromkeys(r.topic for r in sent):
            await produce(
                self.kafka, topic, [(r.key, r.value, r.headers) for r in sent if r.topic == topic]
            )
        return records

    async def inbox(self, person: str) -> list[dict[str, Any]]:
        async with httpx.AsyncClient(base_url=self.service.url, timeout=5) as client:
            response = await client.get(f"/api/v1/inbox/{person}", headers=ADMIN)
            response.raise_for_status()
            return list(response.json())

    async def mails(self, person: str) -> list[EmailMessage]:
        """What the SMTP server has received for `person` (at the address their contact has)."""
        return self.mailbox.to(email(person))

    async def webhooks(self, path: str, event_id: bytes) -> list[Received]:
        """What receiver `path` has been sent of the event `event_id` (each attempt)."""
        return [r for r in self.hooks.at(path) if event_id in r.body]

    async def deliveries(self, **params: Any) -> list[dict[str, Any]]:
        async with httpx.AsyncClient(base_url=self.service.url, timeout=5) as client:
            response = await client.get("/api/v1/deliveries", params=params, headers=ADMIN)
            response.raise_for_status()
            return list(response.json())


@pytest.fixture(scope="module")
def kafka() -> Iterator[str]:
    """A broker of its own: its service reads every topic from the beginning and forwards every
    event to the receivers, so another module's events would queue behind the slow one; and
    no other module's notifications shares its consumer group."""
    with kafka_bootstrap() as address:
        yield address


@pytest.fixture(scope="module")
async def system(
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    controller, mailbox = start_smtp()
    hooks = WebhookReceivers()
    server = hooks.start()
    settings = {
        "SMTP_PORT": str(controller.port),
        "MAX_ATTEMPTS": "3",
        "RETRY_BASE_SECONDS": "0.3",
        "RETRY_MAX_SECONDS": "1",
        "WORKER_POLL_SECONDS": "0.1",
        "WEBHOOK_TIMEOUT_SECONDS": "10",
        # The shortest lease these timeouts allow: a killed worker's claims lapse within the
        # restart test's wait.
        "CLAIM_LEASE_SECONDS": "20",
        # The receivers listen on this machine, which a real webhook may not point at.
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "SCHEDULER_INTERVAL_SECONDS": "1",
        "DIGEST_HOUR": "0",
    }
    log_dir = Path(tmp_path_factory.mktemp("notifications-logs"))
    try:
        async with running_service(
            "notifications", postgres, kafka, log_dir, **settings
        ) as service:
            system = System(service, mailbox, hooks, kafka)
            await _prepare(system)
            yield system
    finally:
        server.should_exit = True
        controller.stop()


async def _prepare(system: System) -> None:
    """Its people's contacts, three subscribed systems, the units, the campaign with its
    phase 1 open, and OTHER's result report filed before the phase's reminders start."""
    async with httpx.AsyncClient(base_url=system.service.url, timeout=5, headers=ADMIN) as client:
        for person, unit, officer, digest in (
            (OFFICER, UNIT, True, False),
            (OTHER_OFFICER, OTHER, True, True),
            (AUTHOR, UNIT, False, False),
        ):
            response = await client.put(
                f"/api/v1/contacts/{person}",
                json={
                    "full_name": f"Cán bộ {person}",
                    "unit_code": unit,
                    "is_officer": officer,
                    "email": email(person),
                    "daily_digest": digest,
                },
            )
            assert response.status_code == 200, response.text
        for path in ("ok", "fail", "slow"):
            created = await client.post(
                "/api/v1/subscribers",
                json={"name": f"PVN {path}", "url": system.hooks.url(path), "event_types": []},
            )
            system.hooks.secrets[path] = created.json()["secret"]
    # The scheduler counts days in Vietnam (UTC+7): from 17:00 UTC it is already tomorrow there.
    today = datetime.now(VIETNAM_TIME).date()
    # OTHER has filed its result report before the phase's reminders start.
    await system.publish(
        ReportSubmitted(
            report_id=uuid4(),
            campaign_code=CAMPAIGN,
            phase_code="dot-1",
            unit_code=OTHER,
            kind="result",
            figures={},
            due_on=None,
            submitted_at=datetime.now(UTC),
            late=False,
            submitted_by=OTHER_OFFICER,
        )
    )
    await eventually(
        lambda: metric(system.service, "notifications_events_processed_total", "report.submitted"),
        lambda n: n >= 1,
    )
    await system.publish(
        UnitRecorded(
            code=UNIT,
            name="Công đoàn Nhà máy Đạm thử",
            parent_code=None,
            level="affiliated",
            path=f"{UNIT}/",
        ),
        UnitRecorded(
            code=OTHER,
            name="Công đoàn Kho cảng thử",
            parent_code=None,
            level="affiliated",
            path=f"{OTHER}/",
        ),
        CampaignPublished(
            campaign_code=CAMPAIGN,
            title="Kế hoạch thử",
            published_by="t",
            definition=_definition(today),
        ),
        PhaseOpened(
            campaign_code=CAMPAIGN,
            phase_code="dot-1",
            starts_on=today,
            ends_on=today + timedelta(days=2),
            report_due_on=today + timedelta(days=3),
            opened_by="t",
            opened_at=datetime.now(UTC),
        ),
    )
    # The campaign and the phase come on a topic of their own, in no order with the tests'
    # events: a phase close read before the campaign would name the phase by its code.
    for event_type in ("campaign.published", "phase.opened"):
        await eventually(partial(processed, system, event_type), lambda n: n >= 1)


async def processed(system: System, event_type: str) -> float:
    """How many events of the type the service has applied."""
    return await metric(system.service, "notifications_events_processed_total", event_type)


def _definition(today: date) -> dict[str, Any]:
    return {
        "movements": [
            {"code": "lao-dong-gioi-sang-tao", "name": "Lao động giỏi, lao động sáng tạo"}
        ],
        "initiative_review": {"scale": {"min": 0, "max": 10}},
        "phases": [
            {
                "code": "dot-1",
                "name": "Đợt 1",
                "ends_on": str(today + timedelta(days=2)),
                "report_due_on": str(today + timedelta(days=3)),
            },
            # Closed by a test (whenever it runs: phase 1's reminders are another test's).
            {
                "code": "dot-2",
                "name": "Đợt 2",
                "ends_on": str(today + timedelta(days=60)),
                "report_due_on": str(today + timedelta(days=70)),
            },
        ],
    }


def registration(
    contract: type[RegistrationApproved | RegistrationReturned],
    unit: str,
    at: datetime,
    **reason: str,
) -> RegistrationApproved | RegistrationReturned:
    """A registration of `unit` for phase 1's movement, approved (or returned with a reason)."""
    return contract(
        registration_id=uuid4(),
        campaign_code=CAMPAIGN,
        phase_code="dot-1",
        unit_code=unit,
        movement_codes=("lao-dong-gioi-sang-tao",),
        actor="admin",
        at=at,
        **reason,
    )


def submitted(title: str) -> InitiativeSubmitted:
    return initiative_submitted(
        **HERE,
        initiative_id=uuid4(),
        title=title,
        authors=(InitiativeAuthor(member_id=AUTHOR, full_name="Nguyễn Văn An", share_percent=100),),
        expected_benefit_vnd=1_200_000_000,
        submitted_by=OFFICER,
        submitted_at=datetime.now(UTC),
        received_on=None,
    )


async def test_an_initiative_reaches_the_authors_inbox_their_email_and_signed_webhooks(
    system: System,
) -> None:
    title = f"Tiết kiệm năng lượng {RUN}"
    [record] = await system.publish(submitted(title))
    event_id = dict(record.headers)["ce_id"]
    inbox = await eventually(
        lambda: system.inbox(AUTHOR), lambda ms: any(title in m["subject"] for m in ms)
    )
    assert any(m["trigger"] == "initiative_received" for m in inbox)
    mails = await eventually(
        lambda: system.mails(AUTHOR),
        lambda ms: any(title in str(m["Subject"]) for m in ms),
    )
    body = next(m for m in mails if title in str(m["Subject"])).get_body(("plain",))
    assert body is not None and "1.200.000.000 ₫" in body.get_content()
    hooks = await eventually(lambda: system.webhooks("ok", event_id), lambda rs: len(rs) == 1)
    assert hooks[0].signature_valid
    assert json.loads(hooks[0].body)["data"]["title"] == title


async def test_the_same_event_twice_is_told_once_on_every_channel(system: System) -> None:
    title = f"Gửi hai lần {RUN}"
    [record] = await system.publish(submitted(title), twice=True)
    event_id = dict(record.headers)["ce_id"].decode()
    later = f"Sau đó {RUN}"
    await system.publish(submitted(later))
    await eventually(
        lambda: system.inbox(AUTHOR), lambda ms: any(later in m["subject"] for m in ms)
    )
    await eventually(
        lambda: system.deliveries(event_id=event_id, channel="webhook"),
        lambda ds: all(d["status"] in ("sent", "dead") for d in ds) and len(ds) == 3,
    )
    assert [m["subject"] for m in await system.inbox(AUTHOR)].count(
        next(m["subject"] for m in await system.inbox(AUTHOR) if title in m["subject"])
    ) == 1
    assert len(await system.deliveries(event_id=event_id, channel="email")) == 1
    assert len(await system.webhooks("ok", event_id.encode())) == 1


async def test_each_trigger_tells_the_right_people(system: System) -> None:
    now = datetime.now(UTC)
    await system.publish(
        registration(RegistrationApproved, UNIT, now),
        decision(InitiativeRecognised, **about_an(f"Được công nhận {RUN}"), decided_at=now),
        # A proposal tells no recipient: only a confirmed award does.
        granted(
            "confirmed",
            now,
            **HERE,
            award_id=uuid4(),
            recipient_id=AUTHOR,
            recipient_name="Nguyễn Văn An",
            reasons=("Sáng kiến làm lợi 1.200.000.000 ₫",),
        ),
    )
    officer = await eventually(
        lambda: system.inbox(OFFICER),
        lambda ms: (
            {"registration_approved", "initiative_recognised", "award_granted"}
            <= {m["trigger"] for m in ms}
        ),
    )
    assert any("Bằng khen của Công đoàn Dầu khí Việt Nam" in m["body"] for m in officer)
    author = await system.inbox(AUTHOR)
    assert {"initiative_recognised", "award_granted"} <= {m["trigger"] for m in author}
    assert "registration_approved" not in {m["trigger"] for m in author}


async def test_a_report_reminder_goes_to_units_that_have_not_filed(system: System) -> None:
    reminded = await eventually(
        lambda: system.inbox(OFFICER), lambda ms: any(m["trigger"] == "report_due" for m in ms)
    )
    reminder = next(m for m in reminded if m["trigger"] == "report_due")
    due = (datetime.now(VIETNAM_TIME).date() + timedelta(days=3)).strftime("%d/%m/%Y")
    assert due in reminder["body"]
    await asyncio.sleep(2)  # two more scheduler passes: still one reminder, none for OTHER
    assert [m["trigger"] for m in await system.inbox(OFFICER)].count("report_due") == 1
    assert "report_due" not in {m["trigger"] for m in await system.inbox(OTHER_OFFICER)}


async def test_a_failing_receiver_is_retried_then_dead_then_redelivered(system: System) -> None:
    [record] = await system.publish(submitted(f"Thử lại {RUN}"))
    event_id = dict(record.headers)["ce_id"].decode()

    async def failing() -> list[dict[str, Any]]:
        return [
            d
            for d in await system.deliveries(event_id=event_id, channel="webhook")
            if d["destination"].endswith("/fail")
        ]

    dead = await eventually(failing, lambda ds: bool(ds) and ds[0]["status"] == "dead", timeout=30)
    assert [a["status_code"] for a in dead[0]["log"]] == [500, 500, 500]
    system.hooks.healed = True
    try:
        async with httpx.AsyncClient(base_url=system.service.url, headers=ADMIN) as client:
            again = await client.post(f"/api/v1/deliveries/{dead[0]['id']}/redeliver")
        assert again.status_code == 200
        sent = await eventually(failing, lambda ds: ds[0]["status"] == "sent")
    finally:
        system.hooks.healed = False  # failing again for the tests that run after this one
    assert sent[0]["attempts"] == 1 and len(sent[0]["log"]) == 4
    assert sent[0]["log"][-1]["status_code"] == 200 or any(a["ok"] for a in sent[0]["log"])
    ids = {r.delivery_id for r in await system.webhooks("fail", event_id.encode())}
    assert ids == {dead[0]["id"]}  # one delivery id across every attempt: receivers dedupe


async def test_a_slow_receiver_does_not_hold_up_the_others(system: System) -> None:
    [record] = await system.publish(submitted(f"Người nhận chậm {RUN}"))
    event_id = dict(record.headers)["ce_id"]
    fast = await eventually(lambda: system.webhooks("ok", event_id), lambda rs: len(rs) == 1)
    slow = await eventually(lambda: system.webhooks("slow", event_id), lambda rs: len(rs) == 1)
    # The fast receiver was served before the slow one had finished answering (the slow one
    # may even still be waiting behind earlier slow deliveries: its slots are its own).
    assert fast[0].at < slow[0].at + system.hooks.slow_seconds


async def test_a_restart_in_the_middle_of_a_batch_sends_nothing_twice_and_loses_nothing(
    system: System,
) -> None:
    usual = system.hooks.slow_seconds
    system.hooks.slow_seconds = 8
    titles = [f"Khởi động lại {RUN} {n}" for n in range(5)]
    records = await system.publish(*(submitted(t) for t in titles))
    ids = [dict(r.headers)["ce_id"] for r in records]
    await eventually(lambda: system.webhooks("slow", ids[0]), lambda rs: len(rs) >= 1)
    await asyncio.to_thread(system.service.kill)  # the slow deliveries are in flight
    system.hooks.slow_seconds = 0.1
    await asyncio.to_thread(system.service.start)

    async def slow_events_seen() -> set[bytes]:
        return {i for i in ids for r in system.hooks.at("slow") if i in r.body}

    try:
        await eventually(slow_events_seen, lambda seen: seen == set(ids), timeout=40)
    finally:
        system.hooks.slow_seconds = usual  # as the tests that run after this one expect
    slow = [r for r in system.hooks.at("slow") if any(i in r.body for i in ids)]
    by_event = {i: {r.delivery_id for r in slow if i in r.body} for i in ids}
    assert all(len(delivery_ids) == 1 for delivery_ids in by_event.values())  # resent = same id
    inbox = await system.inbox(AUTHOR)
    assert all(sum(t in m["subject"] for m in inbox) == 1 for t in titles)


async def test_a_person_who_chose_the_digest_gets_one_email_a_day(system: System) -> None:
    now = datetime.now(UTC)
    for n in range(2):
        await system.publish(registration(RegistrationApproved, OTHER, now + timedelta(seconds=n)))
    await eventually(
        lambda: system.inbox(OTHER_OFFICER),
        lambda ms: sum(m["trigger"] == "registration_approved" for m in ms) == 2,
    )
    mails = await eventually(
        lambda: system.mails(OTHER_OFFICER),
        lambda ms: len(ms) >= 1,
        timeout=30,
    )
    await asyncio.sleep(2)
    assert len(await system.mails(OTHER_OFFICER)) == 1
    assert mails[0].get_body(("plain",)) is not None


async def test_returns_revocations_and_a_phase_close_are_told_too(system: System) -> None:
    now = datetime.now(UTC)
    award = uuid4()
    await system.publish(
        decision(
            InitiativeReturned,
            **about_an(f"Cần bổ sung {RUN}"),
            decided_at=now,
            reason="Bổ sung số liệu làm lợi",
        ),
        registration(RegistrationReturned, UNIT, now, reason="Nêu chỉ tiêu cụ thể"),
        revoked(
            now,
            **HERE,
            award_id=award,
            award_name="Giấy khen",
            recipient_kind="unit",
            recipient_id=UNIT,
            recipient_name="Công đoàn Nhà máy Đạm thử",
            reason="Trùng thành tích",
        ),
        PhaseClosed(
            campaign_code=CAMPAIGN,
            phase_code="dot-2",
            ends_on=now.date(),
            closed_by="admin",
            closed_at=now,
            forced=False,
        ),
        # Each unit hears its result from the standing scoring publishes at the close.
        standing(
            1,
            2,
            **HERE,
            phase_code="dot-2",
            unit_name="Công đoàn Nhà máy Đạm thử",
            level="grassroots",
            path=f"CDDKVN/{UNIT}/",
            rank_of=9,
            targets_met=(1, 2, 3, 4, 5, 6),
            targets_missed={"7": "chưa đủ số sáng kiến"},
            initiatives_submitted=3,
            initiatives_recognised=1,
            benefit_vnd=0,
            closed_at=now,
            computed_at=now,
        ),
    )
    officer = await eventually(
        lambda: system.inbox(OFFICER),
        lambda ms: (
            {"initiative_returned", "registration_returned", "award_revoked", "phase_closed"}
            <= {m["trigger"] for m in ms}
        ),
    )
    closed = next(m for m in officer if m["trigger"] == "phase_closed")
    assert "Đợt 2" in closed["subject"] + closed["body"]
    assert "Xếp hạng: 2/9 công đoàn cơ sở" in closed["body"]
    returned = next(m for m in officer if m["trigger"] == "registration_returned")
    assert "Nêu chỉ tiêu cụ thể" in returned["body"]
    assert "initiative_returned" in {m["trigger"] for m in await system.inbox(AUTHOR)}
