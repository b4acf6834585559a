"""The subscription plan that makes LiveKit enforce a whispers chain."""

from __future__ import annotations

from sfu.subscriptions import subscription_plan


def test_subscription_plan_hears_only_the_predecessor():
    tracks = {"a": ["A"], "b": ["B1", "B2"], "c": ["C"], "lurker": ["L"]}
    plan = subscription_plan(chain=["a", "b", "c"], audio_tracks=tracks)
    assert plan["a"] == (["C"], ["B1", "B2", "L"])
    assert plan["b"] == (["A"], ["C", "L"])
    assert plan["c"] == (["B1", "B2"], ["A", "L"])
    assert plan["lurker"] == ([], ["A", "B1", "B2", "C"])


def test_subscription_plan_without_a_chain_hears_everyone():
    plan = subscription_plan(chain=[], audio_tracks={"a": ["A"], "b": ["B"]})
    assert plan == {"a": (["B"], []), "b": (["A"], [])}
