"""Description cutting: byte limits, whole characters, whole words, summary shortened first."""

from __future__ import annotations

import pytest

from intacct_bridge.domain.description import byte_length, compose, cut_text


def test_short_text_is_untouched_but_whitespace_is_tidied():
    assert cut_text("Donation  on\n2025-06-30", 100) == "Donation on 2025-06-30"


def test_cut_backs_up_to_a_word_boundary():
    assert cut_text("Annual membership renewal for the Lovelace family", 30) == "Annual membership renewal…"


@pytest.mark.parametrize("limit", range(1, 40))
def test_cut_never_exceeds_the_limit_in_bytes(limit):
    text = "Donación de Zoë Ñúñez — 寄付 🎉 gracias"
    out = cut_text(text, limit)
    assert byte_length(out) <= limit
    out.encode("utf-8")  # whole characters only: this would fail on a split surrogate/char


def test_cut_never_splits_a_multibyte_character():
    # "é" is 2 bytes; a 7-byte limit leaves 4 bytes before the 3-byte ellipsis: "a", "é", half an "é".
    assert cut_text("aéééé", 7) == "aé…"


def test_cut_keeps_combining_marks_with_their_letter():
    text = "Zoe\u0301Zoe\u0301Zoe\u0301"  # e + combining acute (1 + 2 bytes), no spaces
    for limit in range(4, byte_length(text)):
        body = cut_text(text, limit).rstrip("…")
        assert not body.endswith("e"), f"stranded base letter at limit {limit}: {body!r}"
        assert byte_length(cut_text(text, limit)) <= limit


def test_a_single_long_word_is_cut_at_a_character_boundary():
    out = cut_text("https://org.example/" + "x" * 200, 50)
    assert out.endswith("…") and byte_length(out) <= 50 and out.startswith("https://org.example/")


def test_compose_keeps_name_and_url_whole_and_shortens_the_summary():
    summary = "Membership on 2025-06-30 from Ada Lovelace, annual household tier, paid by card"
    url = "https://org.example/a/42"
    out = compose([summary, "Ada Lovelace", url], 90)
    assert byte_length(out) <= 90
    assert out.endswith(" | Ada Lovelace | https://org.example/a/42")
    assert out.startswith("Membership on 2025-06-30")
    assert "…" in out


def test_compose_skips_empty_parts():
    assert compose(["Donation", None, "  ", "https://x"], 100) == "Donation | https://x"


def test_compose_falls_back_to_cutting_everything_when_the_tail_is_too_long():
    url = "https://org.example/" + "y" * 120
    out = compose(["Donation on 2025-06-30 from Ada", "Ada Lovelace", url], 100)
    assert byte_length(out) <= 100
    assert out.startswith("Donation on 2025-06-30 from Ada | Ada Lovelace")
