"""scored_ahead: every group scored once, in order, one group ahead of the caller."""

from __future__ import annotations

import threading

import pytest

from vnocr.restore.ahead import scored_ahead


def test_each_group_scored_once_in_order_before_it_is_read() -> None:
    scored: list[int] = []
    seen: list[int] = []
    for group, network in scored_ahead([1, 2, 3], scored.append):
        network.result()
        assert group in scored
        seen.append(group)
    assert seen == [1, 2, 3]
    assert scored == [1, 2, 3]


def test_next_group_is_scored_while_the_caller_works() -> None:
    started = threading.Event()

    def score(group: int) -> None:
        if group == 2:
            started.set()

    for group, network in scored_ahead([1, 2], score):
        network.result()
        if group == 1:  # the caller has not waited on group 2 yet
            assert started.wait(timeout=10)


def test_no_groups() -> None:
    assert list(scored_ahead([], lambda group: None)) == []


def test_a_failed_score_reaches_the_caller() -> None:
    def score(group: int) -> None:
        raise ValueError(f"bad group {group}")

    with pytest.raises(ValueError, match="bad group 1"):
        for _, network in scored_ahead([1, 2], score):
            network.result()
