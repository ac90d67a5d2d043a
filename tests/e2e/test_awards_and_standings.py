"""Awards and standings at a phase's close, through the four services as real processes on the
real broker and PostgreSQL: a proposal is not an award (the admins hear of it, the recipient
only of a confirmed award), a proposal is rejected with a reason, a confirmed award revoked
with its reason kept; the rank the phase-closed message gives is the league table's, the
dashboard's and the export's.

Each test runs on a campaign of its own (the 2022 file under a fresh code, its phase 1 named
after it), so each passes alone or in any order beside the others."""

import asyncio
import csv
import io
import json
import re
from functools import partial
from typing import Any
from uuid import uuid4

import httpx

from shared.contracts import AwardGranted, AwardRejected, AwardRevoked, topics
from tests.e2e.builders import (
    ADMIN_ID,
    System,
    call,
    close_phase_1,
    get_json,
    get_json_if_known,
    new_campaign,
    proposals,
    recognised_authors,
    register,
)
from tests.e2e.conftest import ADMIN
from tests.support.kafka_probe import headers_of, read_topic
from tests.support.polling import eventually


async def inbox(system: System, person: str) -> list[dict[str, Any]]:
    return list(await get_json(f"{system['notifications'].url}/api/v1/inbox/{person}"))


async def award_events(kafka: str, award_id: str, count: int) -> list[tuple[str, dict[str, Any]]]:
    """The awards topic's events about one award, in order: (type, data)."""
    records = await read_topic(
        kafka,
        topics.AWARDS,
        until=lambda rs: sum(r.key == award_id.encode() for r in rs) >= count,
    )
    return [
        (headers_of(r)["ce_type"], json.loads(r.value))
        for r in records
        if r.key == award_id.encode()
    ]


async def test_a_proposal_tells_the_admins_not_its_recipient_who_hears_once_it_is_confirmed(
    system: System, kafka: str
) -> None:
    campaign, phase_name = await new_campaign(system)
    member = f"M-{uuid4().hex[:6]}"
    await recognised_authors(system, campaign, [member])
    await close_phase_1(system, campaign)

    award = (await proposals(system, campaign, [member]))[member]
    assert award["status"] == "proposed"
    assert award["grant"]["rule_code"] == "bang-khen-ca-nhan-sang-kien-dot-1"

    # The admins: one message saying how many proposals await them.
    told = await eventually(
        lambda: inbox(system, ADMIN_ID),
        lambda ms: any(phase_name in m["subject"] for m in ms),
        timeout=60,
    )
    [summary] = [m for m in told if phase_name in m["subject"]]
    assert summary["trigger"] == "awards_awaiting_decision"  # the admins' only message of it
    assert summary["subject"] == f"{phase_name}: 1 đề nghị khen thưởng chờ phê duyệt"
    assert "1 đề nghị khen thưởng đang chờ phê duyệt" in summary["body"]
    # The proposal went out on the topic (before the summary), and told its recipient nothing.
    [(kind, data)] = await award_events(kafka, award["id"], 1)
    assert (kind, data["status"]) == (AwardGranted.event_type, "proposed")
    await asyncio.sleep(2)  # the proposal's event has been applied long since
    assert "award_granted" not in {m["trigger"] for m in await inbox(system, member)}

    confirmed = await call(
        "POST", f"{system['scoring'].url}/api/v1/awards/{award['id']}/confirm", ADMIN
    )
    assert (confirmed["status"], confirmed["confirmed_by"]) == ("confirmed", ADMIN_ID)
    messages = await eventually(
        lambda: inbox(system, member),
        lambda ms: any(m["trigger"] == "award_granted" for m in ms),
        timeout=60,
    )
    [granted] = [m for m in messages if m["trigger"] == "award_granted"]
    assert "Bằng khen của Công đoàn Dầu khí Việt Nam" in granted["subject"]
    events = await award_events(kafka, award["id"], 2)
    assert [(k, d["status"]) for k, d in events] == [
        (AwardGranted.event_type, "proposed"),
        (AwardGranted.event_type, "confirmed"),
    ]
    assert events[1][1]["decided_by"] == ADMIN_ID
    # Told once: confirming again is refused, and nothing more arrives.
    async with httpx.AsyncClient(timeout=10) as client:
        again = await client.post(
            f"{system['scoring'].url}/api/v1/awards/{award['id']}/confirm", headers=ADMIN
        )
    assert again.status_code == 409
    assert [m["trigger"] for m in await inbox(system, member)].count("award_granted") == 1


async def test_a_proposal_is_rejected_with_a_reason_and_a_revoked_award_keeps_its_reason(
    system: System, kafka: str
) -> None:
    campaign, _ = await new_campaign(system)
    refused_member, revoked_member = f"M-{uuid4().hex[:6]}", f"M-{uuid4().hex[:6]}"
    await recognised_authors(system, campaign, [refused_member, revoked_member])
    await close_phase_1(system, campaign)
    awards = await proposals(system, campaign, [refused_member, revoked_member])
    scoring = system["scoring"].url
    rejected_id, revoked_id = awards[refused_member]["id"], awards[revoked_member]["id"]

    async with httpx.AsyncClient(timeout=10, headers=ADMIN) as client:
        # A rejection needs its reason: refused in both languages, the field named.
        for body in (None, {}, {"reason": "ok"}, {"reason": "         "}):
            refused = await client.post(f"{scoring}/api/v1/awards/{rejected_id}/reject", json=body)
            assert refused.status_code == 422, refused.text
            [error] = refused.json()["errors"]
            assert error["field"] in ("reason", "(body)"), error
            assert error["message_vi"] and error["message_en"]
            assert error["message_vi"] != error["message_en"]
        # A proposal is rejected, not revoked.
        wrong = await client.post(
            f"{scoring}/api/v1/awards/{rejected_id}/revoke", json={"reason": "Không đúng quy trình"}
        )
        assert wrong.status_code == 409
        [error] = wrong.json()["errors"]
        assert "«Đề xuất, chờ phê duyệt»" in error["message_vi"]
        assert "“Proposed, awaiting a decision”" in error["message_en"]
        reason = "Thành tích đã được khen ở cấp Tập đoàn"
        rejected = await client.post(
            f"{scoring}/api/v1/awards/{rejected_id}/reject", json={"reason": reason}
        )
        assert rejected.status_code == 200, rejected.text
        assert (rejected.json()["status"], rejected.json()["reject_reason"]) == ("rejected", reason)
        late = await client.post(f"{scoring}/api/v1/awards/{rejected_id}/confirm")
        assert late.status_code == 409

        # A confirmed award, revoked: the reason and who confirmed it stay on the record.
        await call("POST", f"{scoring}/api/v1/awards/{revoked_id}/confirm", ADMIN)
        why = "Sáng kiến dựa trên số liệu không đúng sự thật"
        revoked = await client.post(
            f"{scoring}/api/v1/awards/{revoked_id}/revoke", json={"reason": why}
        )
        assert revoked.status_code == 200, revoked.text
    record = {
        a["id"]: a for a in await get_json(f"{scoring}/api/v1/awards", campaign_code=campaign)
    }
    assert (record[revoked_id]["status"], record[revoked_id]["revoke_reason"]) == ("revoked", why)
    assert record[revoked_id]["confirmed_by"] == ADMIN_ID and record[revoked_id]["confirmed_at"]
    assert (record[rejected_id]["status"], record[rejected_id]["reject_reason"]) == (
        "rejected",
        reason,
    )

    [_, (kind, data)] = await award_events(kafka, rejected_id, 2)
    assert kind == AwardRejected.event_type
    assert (data["reason"], data["rejected_by"], data["recipient_id"]) == (
        reason,
        ADMIN_ID,
        refused_member,
    )
    events = await award_events(kafka, revoked_id, 3)
    assert [k for k, _ in events] == [AwardGranted.event_type] * 2 + [AwardRevoked.event_type]
    assert (events[2][1]["status"], events[2][1]["reason"], events[2][1]["revoked_by"]) == (
        "revoked",
        why,
        ADMIN_ID,
    )
    # The revoked award's recipient heard of the award, then of its revocation and why; the
    # rejected proposal's, of neither.
    told = await eventually(
        lambda: inbox(system, revoked_member),
        lambda ms: {"award_granted", "award_revoked"} <= {m["trigger"] for m in ms},
        timeout=60,
    )
    assert why in next(m["body"] for m in told if m["trigger"] == "award_revoked")
    assert not {"award_granted", "award_revoked"} & {
        m["trigger"] for m in await inbox(system, refused_member)
    }
    # Reporting keeps them apart.
    summary = await eventually(
        # Named: other suites on the same broker may have recorded a root of their own.
        lambda: get_json_if_known(
            f"{system['reporting'].url}/api/v1/summary/{campaign}", unit="CDDKVN"
        ),
        lambda s: s is not None and s["awards"]["by_status"] == {"rejected": 1, "revoked": 1},
        timeout=60,
    )
    assert summary["awards"]["by_status"] == {"rejected": 1, "revoked": 1}


async def test_the_phase_closed_message_gives_the_rank_of_the_league_dashboard_and_export(
    system: System,
) -> None:
    campaign, phase_name = await new_campaign(system)
    # PVGAS has registered (target 1): it is ahead of most affiliated unions.
    await register(system, campaign, "PVGAS", ["01-trieu-sang-kien", "lao-dong-gioi-sang-tao"])
    notifications, reporting = system["notifications"].url, system["reporting"].url
    officers = {"PVGAS": f"PVGAS-CB-{uuid4().hex[:4]}", "PVGAS-KCM": f"KCM-CB-{uuid4().hex[:4]}"}
    for unit, person in officers.items():
        await call(
            "PUT",
            f"{notifications}/api/v1/contacts/{person}",
            ADMIN,
            json={"full_name": f"Cán bộ {unit}", "unit_code": unit, "is_officer": True},
        )
    await eventually(  # scoring has the registration: no late recomputation to wait for
        lambda: get_json(f"{system['scoring'].url}/api/v1/progress/{campaign}/dot-1"),
        lambda progress: progress["targets"][0]["achieved"] == 1,  # target 1: registered
        timeout=60,
    )
    await close_phase_1(system, campaign)

    ranks: dict[str, int] = {}
    for unit, level, label in (
        ("PVGAS", "affiliated", "công đoàn trực thuộc"),
        ("PVGAS-KCM", "grassroots", "công đoàn cơ sở"),
    ):
        messages = await eventually(
            partial(inbox, system, officers[unit]),
            lambda ms: any(m["trigger"] == "phase_closed" for m in ms),
            timeout=60,
        )
        # One message, about this campaign's phase 1 (the officer was made for this test).
        [closed] = [m for m in messages if m["trigger"] == "phase_closed"]
        assert phase_name in closed["subject"]
        found = re.search(rf"Xếp hạng: (\d+)/(\d+) {label}", closed["body"])
        assert found, closed["body"]
        rank, of = int(found.group(1)), int(found.group(2).replace(".", ""))
        ranks[unit] = rank

        league = await eventually(
            partial(
                get_json, f"{reporting}/api/v1/league/{campaign}/dot-1", level=level, limit=500
            ),
            lambda answer: answer["closed"],
            timeout=60,
        )
        row = next(r for r in league["rows"] if r["unit_code"] == unit)
        assert (row["rank"], league["total"]) == (rank, of), (unit, closed["body"])
        assert f"Điểm thi đua: {row['points']}/100" in closed["body"]

        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.get(
                f"{reporting}/api/v1/exports/{campaign}/dot-1/xep-hang.csv",
                params={"unit": "CDDKVN"},
                headers=ADMIN,
            )
        assert response.status_code == 200, response.text
        exported = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        [mine] = [r for r in exported[1:] if r[1] == unit]
        assert int(mine[0]) == rank

    # The dashboard's league table (the affiliated unions of the phase shown).
    async with httpx.AsyncClient(timeout=30) as client:
        page = await client.get(f"{reporting}/dashboard/{campaign}", params={"phase": "dot-1"})
    assert page.status_code == 200
    assert 'id="league-kind" data-closed="true"' in page.text
    shown = re.search(r'data-unit="PVGAS" data-rank="(\d+)"', page.text)
    assert shown, "PVGAS is among the dashboard's first units"
    assert int(shown.group(1)) == ranks["PVGAS"]
