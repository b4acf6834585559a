"""Spans in words, as a refusal's wait and the admin's durations read."""

from __future__ import annotations

import pytest

from core.timefmt import duration_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (0.2, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (64, "1 minute 4 seconds"),
        (300, "5 minutes"),
        # Past two minutes a part of a minute counts as a whole one: never a promise too soon.
        (2519.5, "42 minutes"),
        (3600, "1 hour"),
        (3900, "1 hour 5 minutes"),
        (7199, "2 hours"),
        (90000, "1 day 1 hour"),
        (3 * 86400 + 1, "3 days 1 hour"),
    ],
)
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words
