"""The console's queue view stays the hub's, though after the first frame the hub sends only
what changed (``console.protocol.queueview``)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.hub.service import HubConfig, _QueueFrames
from console.protocol import messages as m
from console.protocol.queueview import OutOfStep, QueueView, routing_key
from tests.client.conftest import reachable

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
QUEUES = frozenset({"operators"})


def entry(n: int, **kw) -> m.QueueEntry:
    fields = {
        "id": f"C{n}",
        "channel": "chat",
        "kind": "urgent",
        "queue": "operators",
        "enqueued_at": T0 + timedelta(seconds=n),
        "priority": 0,
        "seq": n,
    } | kw
    return m.QueueEntry(**fields)


# One step of a hub's queue: who arrives, leaves, is moved up, offered, named.
steps = st.lists(
    st.tuples(
        st.integers(0, 3),  # arrivals
        st.integers(0, 3),  # departures
        st.integers(0, 2),  # moved to the head (priority 2: handed back)
        st.booleans(),  # the head is offered
        st.booleans(),  # someone's name becomes known
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(steps=steps, limit=st.sampled_from([3, 8, 1000]), seed=st.integers(0, 2**16))
def test_a_console_kept_by_deltas_sees_what_the_hub_has(steps, limit, seed) -> None:
    """Whatever the hub's queue does, a console that got the first frame whole and the
    rest as deltas holds exactly the hub's view (its first ``limit`` entries, in
    routing order), as a console that got every view whole would."""
    rng = random.Random(seed)
    waiting: dict[str, m.QueueEntry] = {}
    n = 0
    frames: _QueueFrames | None = None
    had = None  # the view the console has, as the hub counts it
    console = QueueView()
    for arrivals, departures, moved, offer, name in steps:
        for _ in range(arrivals):
            n += 1
            waiting[f"C{n}"] = entry(n)
        for cid in rng.sample(sorted(waiting), min(departures, len(waiting))):
            del waiting[cid]
        for cid in rng.sample(sorted(waiting), min(moved, len(waiting))):
            waiting[cid] = waiting[cid].model_copy(update={"priority": 2})
        order = sorted(waiting.values(), key=routing_key)
        if offer and order:
            waiting[order[0].id] = order[0].model_copy(update={"offered": True})
        if name and order:
            pick = rng.choice(order)
            waiting[pick.id] = pick.model_copy(update={"person_name": f"Иванов {pick.id}"})
        view = sorted(waiting.values(), key=routing_key)[:limit]
        summaries = [
            m.QueueSummary(queue="operators", waiting=len(waiting), longest_wait_s=0, free_staff=0)
        ]

        frames = _QueueFrames.next(QUEUES, frames, view, summaries)
        text = frames.frame_after(had)
        had = frames.view
        if text is None:
            continue  # nothing changed: nothing sent
        msg = _parse(text)
        if isinstance(msg, m.QueueSnapshot):
            console.reset(msg.entries)
        else:
            assert isinstance(msg, m.QueueDelta)
            console.apply(msg.upsert, msg.remove)
        assert console.entries() == view


def _parse(text: str | None) -> m.Msg:
    assert text is not None
    return m.parse_from_hub_staff(text)


def test_after_the_first_view_a_change_costs_its_own_size() -> None:
    """With 5,000 waiting, one arrival is a frame of one entry, not of 5,000."""
    view = [entry(i) for i in range(5000)]
    summaries = [m.QueueSummary(queue="operators", waiting=5000, longest_wait_s=0, free_staff=0)]
    first = _QueueFrames.next(QUEUES, None, view, summaries)
    whole = first.frame_after(None)
    second = _QueueFrames.next(QUEUES, first, [*view[1:], entry(5000)], summaries)
    delta = _parse(second.frame_after(first.view))
    assert isinstance(delta, m.QueueDelta)
    assert [e.id for e in delta.upsert] == ["C5000"] and delta.remove == ["C0"]
    assert len(m.dump(delta)) * 100 < len(whole)
    # A connection that missed the first (it just connected) gets the view whole.
    assert isinstance(_parse(second.frame_after(None)), m.QueueSnapshot)
    # Nothing changed: nothing is sent.
    third = _QueueFrames.next(QUEUES, second, second.entries, summaries)
    assert third.frame_after(second.view) is None


def test_a_delta_before_any_view_is_refused() -> None:
    with pytest.raises(OutOfStep):
        QueueView().apply([entry(1)], [])


@pytest.fixture
def hub_config() -> HubConfig:
    return HubConfig(staff_grace=timedelta(seconds=5), queue_view_limit=3)


async def hub_view(h, queues: frozenset[str]) -> list[str]:
    """The ids the hub would show a console serving ``queues`` (its first 3)."""
    waiting = sorted((c for q in queues for c in h.hub.engine.waiting(q)), key=lambda c: c.sort_key)
    return [c.id for c in waiting[:3]]


async def test_the_console_follows_the_hub_through_arrivals_departures_and_a_lost_socket(
    hub_server, make_client, patients
) -> None:
    """A watching console (offline, so offered nothing) sees the hub's first three
    waiting contacts as they come and go, and again after its socket drops while the
    queue moves on."""
    h = hub_server
    watcher = await make_client("op2")
    queues = h.hub.engine.get_staff(str(watcher.me.id)).queues
    phones = [p.phone for p in h.people if p.phone and len(reachable(h.people, p.phone)) == 1]
    frames: list[m.QueueSnapshot | m.QueueDelta] = []
    watcher.on("queue", frames.append)

    async def in_step(what: str) -> None:
        for _ in range(400):
            want = await hub_view(h, queues)
            have = [e.id for e in (watcher.queue.entries if watcher.queue else [])]
            if have == want:
                return
            await asyncio.sleep(0.025)
        raise AssertionError(f"{what}: the console shows {have}, the hub {want}")

    async def hang_up(p) -> None:
        await p.call({"type": "hang_up"})  # gone for good (a lost socket keeps its place)

    pats = [await patients(phones[i]) for i in range(5)]
    await in_step("five arrived")
    assert len(watcher.queue.entries) == 3
    await hang_up(pats[0])  # the head gives up: the fourth comes into view
    await hang_up(pats[3])
    await in_step("two left")
    assert [e.id for e in watcher.queue.entries] == await hub_view(h, queues)

    whole_again = watcher.expect("queue", lambda f: isinstance(f, m.QueueSnapshot))
    watcher._ws._conn.transport.abort()  # the network goes, no close frame
    await hang_up(pats[1])  # the queue moves meanwhile
    pats.append(await patients(phones[6]))
    await asyncio.wait_for(whole_again, 10)  # a new connection: the view comes whole
    await in_step("after the reconnect")
    assert watcher.connection_state == "online"
    # "queue" subscribers got the whole view once a connection and what changed between
    kinds = [type(f).__name__ for f in frames]
    assert kinds[0] == "QueueSnapshot" and "QueueDelta" in kinds
    assert kinds.count("QueueSnapshot") == 2, kinds
