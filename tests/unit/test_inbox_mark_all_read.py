"""Marking a whole inbox read: one statement for every unread message of the caller however
many (the portal's button used to list PAGE_MAX of them and post each: a person with more
kept some unread), up to the newest message the page showed, so one arriving after it stays
unread."""

import re
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from fastapi.testclient import TestClient
from sqlmodel import col, select

from services.notifications.tables import InboxMessage
from shared.contracts.bounds import PAGE_MAX
from tests.unit.conftest import (
    ADMIN,
    MEMBER_AN,
    campaign_day,
    inbox_message,
    store_rows,
)
from tests.unit.portal_helpers import csrf_of, sign_in

AN, BINH = "PVGAS-0012", "BSR-0301"
SHOWN_AT = datetime(2022, 6, 1, 2, tzinfo=UTC)  # the newest message the page showed


def _unread(recipient: str, count: int) -> list[InboxMessage]:
    """`count` unread messages of `recipient`, the newest at SHOWN_AT, a second apart."""
    return [
        inbox_message(recipient, created_at=SHOWN_AT - timedelta(seconds=n)) for n in range(count)
    ]


def _read_at(client: TestClient, recipient: str) -> dict[UUID, datetime | None]:
    async def read() -> dict[UUID, datetime | None]:
        async with client.app.state.sessions() as session:  # type: ignore[attr-defined]
            query = select(InboxMessage).where(col(InboxMessage.recipient_id) == recipient)
            return {m.id: m.read_at for m in (await session.exec(query)).all()}

    return client.portal.call(read)  # type: ignore[union-attr]


def _unread_count(client: TestClient) -> int:
    count: int = client.get("/api/v1/inbox/unread-count", headers=MEMBER_AN).json()["unread"]
    return count


def test_every_unread_message_of_mine_up_to_the_bound_is_marked_in_one_call(
    notifications: TestClient,
) -> None:
    mine = _unread(AN, PAGE_MAX + 1)  # more than a page of them
    already = inbox_message(AN, created_at=SHOWN_AT, read_at=SHOWN_AT)
    newer = inbox_message(AN, created_at=SHOWN_AT + timedelta(minutes=1))  # arrived after
    binhs = inbox_message(BINH, created_at=SHOWN_AT - timedelta(days=1))
    store_rows(notifications, *mine, already, newer, binhs)
    bound = {"up_to": SHOWN_AT.isoformat()}

    with campaign_day(notifications, date(2022, 6, 2)) as clock:
        answer = notifications.post("/api/v1/inbox/read", json=bound, headers=MEMBER_AN)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"marked": PAGE_MAX + 1}
        read_at = _read_at(notifications, AN)
        assert {read_at[m.id] for m in mine} == {clock.now()}  # the campaign's clock
        assert read_at[already.id] == SHOWN_AT  # read before: kept as it was
        assert read_at[newer.id] is None  # newer than the page: not marked unseen
        assert _read_at(notifications, BINH) == {binhs.id: None}  # not mine
        assert _unread_count(notifications) == 1

        again = notifications.post("/api/v1/inbox/read", json=bound, headers=MEMBER_AN)
        assert again.json() == {"marked": 0}

        # Without a bound: every unread one, the newer too.
        everything = notifications.post("/api/v1/inbox/read", headers=MEMBER_AN)
        assert everything.json() == {"marked": 1}
    assert _unread_count(notifications) == 0
    assert _read_at(notifications, BINH) == {binhs.id: None}


def test_marking_all_read_needs_a_token_and_a_bound_with_its_time_zone(
    notifications: TestClient,
) -> None:
    store_rows(notifications, *_unread(AN, 2))
    assert notifications.post("/api/v1/inbox/read").status_code == 401
    naive = {"up_to": "2022-06-01T09:00:00"}
    refused = notifications.post("/api/v1/inbox/read", json=naive, headers=MEMBER_AN)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("up_to", "timezone_aware")
    assert "múi giờ" in error["message_vi"] and "timezone" in error["message_en"]
    assert _unread_count(notifications) == 2
    # An admin's call marks the admin's own inbox, nobody else's.
    assert notifications.post("/api/v1/inbox/read", headers=ADMIN).json() == {"marked": 0}
    assert _unread_count(notifications) == 2


def _mark_all_form(page: str) -> dict[str, str]:
    """The fields the page's "Đánh dấu tất cả đã đọc" form posts, as a browser would."""
    form = re.search(
        r'<form method="post" action="/portal/hop-thu/da-doc-het".*?</form>', page, re.S
    )
    assert form, "the page offers no 'mark all read'"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_the_portals_button_marks_more_than_a_page_and_not_what_came_after(
    portal: TestClient, notifications: TestClient
) -> None:
    mine = _unread(AN, PAGE_MAX + 1)
    store_rows(notifications, *mine, inbox_message(BINH, created_at=SHOWN_AT))
    sign_in(portal, "member-pvgas")
    page = portal.get("/portal/hop-thu")
    form = _mark_all_form(page.text)
    assert form["_csrf"] == csrf_of(page)
    # A message arrives while the page is open.
    newer = inbox_message(AN, created_at=SHOWN_AT + timedelta(minutes=1))
    store_rows(notifications, newer)

    marked = portal.post("/portal/hop-thu/da-doc-het", data=form)
    assert marked.status_code == 200
    assert f"Đã đánh dấu {PAGE_MAX + 1} thông báo là đã đọc." in marked.text
    unread = notifications.get("/api/v1/inbox?unread_only=true", headers=MEMBER_AN).json()
    assert [m["id"] for m in unread] == [str(newer.id)]
    assert list(_read_at(notifications, BINH).values()) == [None]


def test_a_bound_before_or_after_every_utc_instant_marks_none_or_all(
    notifications: TestClient,
) -> None:
    """A bound that only its own offset can hold (year 1 at +01:00 is the year 0 in UTC) is
    before every message, or after every one: it was a 500 (the conversion to UTC overflowed),
    as the audit's from/to were."""
    store_rows(notifications, *_unread(AN, 3))
    before = {"up_to": "0001-01-01T00:00:00+01:00"}
    after = {"up_to": "9999-12-31T23:59:59-01:00"}
    first = notifications.post("/api/v1/inbox/read", json=before, headers=MEMBER_AN)
    assert (first.status_code, first.json()) == (200, {"marked": 0})
    last = notifications.post("/api/v1/inbox/read", json=after, headers=MEMBER_AN)
    assert (last.status_code, last.json()) == (200, {"marked": 3})
