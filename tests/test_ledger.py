"""The delivery ledger's claim rules, directly, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.store import ledger
from bot.store.db import Store
from bot.store.models import Delivery

KEY = {"team_id": "T0001", "recipient": "U1", "item": "checkin-nudge", "week": "2026-W48"}
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
STALE = timedelta(minutes=10)


def claim(store: Store, token: str, now: datetime, **key: str) -> ledger.ClaimResult:
    with store.session() as session:
        return ledger.claim(session, **{**KEY, **key}, token=token, now=now, stale_after=STALE)


def finish(store: Store, token: str, status: str = "sent") -> bool:
    with store.session() as session:
        return ledger.finish(session, **KEY, token=token, status=status, now=T0)


def status(store: Store) -> str | None:
    with store.session() as session:
        return session.scalar(select(Delivery.status).where(Delivery.recipient == KEY["recipient"],
                                                            Delivery.item == KEY["item"]))


def test_the_first_claim_wins_and_a_fresh_one_is_held(store: Store) -> None:
    assert claim(store, "a", T0).claim is ledger.Claim.NEW
    assert claim(store, "b", T0 + STALE - timedelta(seconds=1)).claim is ledger.Claim.HELD
    # Another week, item or person is another delivery.
    assert claim(store, "c", T0, week="2026-W49").claim is ledger.Claim.NEW
    assert claim(store, "d", T0, recipient="U2").claim is ledger.Claim.NEW


def test_a_stale_claim_is_taken_over_once_and_its_old_owner_loses_it(store: Store) -> None:
    claim(store, "dead", T0)
    later = T0 + STALE + timedelta(seconds=1)
    taken = claim(store, "heir", later)
    assert taken.claim is ledger.Claim.TAKEN_OVER and taken.previous_claimed_at == T0
    assert claim(store, "third", later).claim is ledger.Claim.HELD
    assert finish(store, "dead") is False  # the process that "died" comes back too late
    assert finish(store, "heir") is True
    assert status(store) == "sent"


def test_a_finished_delivery_is_never_claimed_again(store: Store) -> None:
    claim(store, "a", T0)
    finish(store, "a", "sent")
    assert claim(store, "b", T0 + timedelta(days=6)).claim is ledger.Claim.HELD


def test_release_gives_the_claim_back_and_unsure_is_taken_over_at_once(store: Store) -> None:
    claim(store, "a", T0)
    with store.session() as session:
        ledger.release(session, **KEY, token="someone-else")
    assert status(store) == "claimed"  # only the holder can release
    with store.session() as session:
        ledger.release(session, **KEY, token="a")
    assert status(store) is None
    assert claim(store, "b", T0).claim is ledger.Claim.NEW
    with store.session() as session:
        ledger.release(session, **KEY, token="b", uncertain=True)
    assert status(store) == ledger.UNSURE
    # No waiting for the timeout: the next claimant takes it over and must look before sending.
    assert claim(store, "c", T0).claim is ledger.Claim.TAKEN_OVER


def contend(store: Store, now: datetime, claimants: int = 8) -> list[str]:
    """Let ``claimants`` threads claim KEY at the same moment; their outcomes, sorted."""
    results: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(claimants)

    def one(token: str) -> None:
        start.wait()
        outcome = claim(store, token, now).claim
        with lock:
            results.append(outcome.value)

    threads = [threading.Thread(target=one, args=(f"t{i}",)) for i in range(claimants)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


def test_many_claimants_at_once_leave_exactly_one_winner(store: Store) -> None:
    assert contend(store, T0) == ["held"] * 7 + ["new"]


def test_many_takers_of_a_stale_claim_leave_exactly_one_heir(store: Store) -> None:
    claim(store, "dead", T0)
    assert contend(store, T0 + STALE + timedelta(seconds=1)) == ["held"] * 7 + ["taken_over"]


def test_forgetting_a_recipient_deletes_only_their_rows(store: Store) -> None:
    claim(store, "a", T0)
    claim(store, "b", T0, week="2026-W49")
    claim(store, "c", T0, recipient="U2")
    with store.session() as session:
        assert ledger.delete_deliveries_to(session, "T0001", "U1") == 2
    with store.session() as session:
        assert session.scalars(select(Delivery.recipient)).all() == ["U2"]
