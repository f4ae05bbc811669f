"""Quote finding (tidings.quotes.find_quotes) on short news-like texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from tidings.actors.resolve import resolve_actors
from tidings.quotes import find_quotes
from tidings.records import Quote

PUBLISHED = date(2023, 9, 6)
LAVROV = "person:sergei-lavrov"


@pytest.fixture(scope="module")
def quotes_of(nlp):
    def run(*paragraphs: str) -> list[Quote]:
        text = "\n\n".join(paragraphs)
        doc = nlp(text)
        quotes = find_quotes(doc, resolve_actors(doc, PUBLISHED))
        for quote in quotes:  # every span is its text
            assert text[quote.content.start:quote.content.end] == quote.content.text
            if quote.cue is not None:
                assert text[quote.cue.start:quote.cue.end] == quote.cue.text
            if quote.addressee is not None:
                assert text[quote.addressee.start:quote.addressee.end] == quote.addressee.text
        assert [q.id for q in quotes] == [f"Q{i}" for i in range(1, len(quotes) + 1)]
        assert [q.content.start for q in quotes] == sorted(q.content.start for q in quotes)
        return quotes

    return run


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, [(q.kind, q.content.text) for q in quotes]
    return quotes[0]


# -- direct and mixed quotes ------------------------------------------------------------------------

def test_direct_quote_with_typographic_marks(quotes_of):
    quote = only(quotes_of("“We will not accept these terms under any circumstances,” "
                           "Foreign Minister Sergei Lavrov said on Monday."))
    assert quote.kind == "direct"
    assert quote.content.text == "We will not accept these terms under any circumstances"
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.speaker.actor_ids == [LAVROV]
    assert quote.speaker.countries == ["RUS"]
    assert quote.speaker.anonymous is False
    assert quote.follow_on is False


def test_direct_quote_with_straight_marks(quotes_of):
    quote = only(quotes_of('"The border will stay closed until further notice," the Polish interior minister said.'))
    assert quote.kind == "direct"
    assert quote.content.text == "The border will stay closed until further notice"
    assert quote.speaker.countries == ["POL"]


def test_mixed_quote_woven_into_the_sentence(quotes_of):
    quote = only(quotes_of("Foreign Minister Sergei Lavrov said Moscow “will respond firmly to any provocation” "
                           "from its neighbours."))
    assert quote.kind == "mixed"
    # A mixed quote's content is the reported clause, part of it in the speaker's own words.
    assert quote.content.text == "Moscow “will respond firmly to any provocation” from its neighbours"
    assert quote.speaker.actor_ids == [LAVROV]


def test_mixed_quote_that_ends_the_sentence_keeps_its_clause(quotes_of):
    quote = only(quotes_of("The Polish interior minister says the new border fence is “working exactly as planned.”"))
    assert quote.kind == "mixed"
    assert quote.content.text.startswith("the new border fence is “working exactly as planned")


def test_quote_split_by_its_cue_is_one_quote_in_two_pieces(quotes_of):
    quotes = quotes_of("“The new fence,” the Polish interior minister said, “is working exactly as planned.”")
    assert [q.kind for q in quotes] == ["direct", "direct"]
    lead, rest = quotes
    assert lead.cue is not None and lead.cue.text == "said"
    assert rest.follow_on and rest.cue is None and rest.speaker.countries == lead.speaker.countries == ["POL"]
    assert rest.content.text.startswith("is working exactly as planned")


def test_quote_signed_with_a_dash(quotes_of):
    quotes = quotes_of("Readers answered our call.\n“The new bridge has cut my commute in half and I love it.” ― Maria Lopez\n"
                       "“Nobody asked the people who live under it.”― Tom Baker\nThe council meets on Monday.")
    assert [q.rule for q in quotes] == ["cue:dash-signature", "cue:dash-signature"]
    assert [q.speaker.mention.text for q in quotes] == ["Maria Lopez", "Tom Baker"]
    assert quotes[0].content.text == "The new bridge has cut my commute in half and I love it."
    # A dash in running prose is no signature.
    assert not [q for q in quotes_of("Prices rose sharply, the agency said — and kept rising.")
                if q.rule == "cue:dash-signature"]


def test_transcript_turns_are_quotes_of_their_labelled_speakers(quotes_of):
    quotes = quotes_of("Senator Jane Harlow spoke to the host on Sunday.\n\nROSS: Will you vote for the bill?\n\n"
                       "HARLOW: I will, because the state needs the money and the roads are falling apart.\n\n"
                       "ROSS: And your colleagues?\n\nUPDATE: The vote was delayed.")
    turns = [q for q in quotes if q.rule == "cue:transcript-turn"]
    assert [q.speaker.mention.text for q in turns] == ["ROSS", "HARLOW", "ROSS"]  # one "UPDATE:" is no speaker
    assert turns[1].speaker.actor_ids == ["person:jane-harlow"] and turns[1].kind == "direct"
    assert turns[0].speaker.descriptor == "Ross" and turns[0].content.text == "Will you vote for the bill?"


@pytest.mark.parametrize("open_mark, close_mark", [("“", "”"), ('"', '"')])
def test_follow_on_quote_inherits_the_previous_speaker(quotes_of, open_mark, close_mark):
    quotes = quotes_of(f"{open_mark}We will not accept these terms,{close_mark} Sergei Lavrov said. "
                       f"{open_mark}Our position has not changed at all since the spring.{close_mark}")
    assert len(quotes) == 2
    first, second = quotes
    assert first.follow_on is False and first.cue is not None
    assert second.follow_on is True
    assert second.cue is None
    assert second.content.text.startswith("Our position has not changed")
    assert second.speaker.actor_ids == [LAVROV]


def test_quote_without_cue_and_without_earlier_quote_is_dropped(quotes_of):
    assert quotes_of("The weather was mild. “Nobody knows what will happen next week in the region.”") == []


def test_follow_on_needs_a_close_earlier_quote(quotes_of):
    filler = "The weather in the capital stayed mild and dry for most of the week, forecasters noted. " * 6
    quotes = quotes_of("“We will not accept these terms,” Sergei Lavrov said.", filler.strip(),
                       "“Nobody knows what will happen next week in the region.”")
    # "…, forecasters noted" is an indirect attribution of its own; the direct quotes are what matter here.
    assert [q.content.text for q in quotes if q.kind == "direct"] == ["We will not accept these terms"]


PARAGRAPHS = ("Foreign Minister Sergei Lavrov spoke in Moscow on Monday. “We have waited long enough for an answer "
              "from the West,” he said. “The patience of our people is not endless.",
              "“We will act when the time comes and not a day before.”")


def test_quote_continued_in_next_paragraph_keeps_its_speaker(quotes_of):
    quotes = quotes_of(*PARAGRAPHS)
    continued = [q for q in quotes if "We will act when the time comes" in q.content.text]
    assert len(continued) == 1
    assert continued[0].speaker.actor_ids == [LAVROV]
    assert any("The patience of our people" in q.content.text and q.speaker.actor_ids == [LAVROV] for q in quotes)


def test_quote_continued_in_next_paragraph_is_one_quote(quotes_of):
    quotes = quotes_of(*PARAGRAPHS)
    spanning = [q for q in quotes if "The patience of our people" in q.content.text]
    assert len(spanning) == 1
    assert "We will act when the time comes" in spanning[0].content.text


def test_next_paragraph_with_its_own_cue(quotes_of):
    quotes = quotes_of('Foreign Minister Sergei Lavrov said: "We have waited long enough for an answer from the West."',
                       '"The patience of our people is not endless," he added.')
    assert len(quotes) == 2
    assert all(q.speaker.actor_ids == [LAVROV] for q in quotes)
    assert quotes[1].cue is not None and quotes[1].cue.text == "added"
    assert quotes[1].follow_on is False


# -- cues: according to, said that, parenthetical, colon -----------------------------------------------

def test_according_to_at_sentence_start(quotes_of):
    quote = only(quotes_of("According to the Ukrainian foreign ministry, the ceasefire has collapsed."))
    assert quote.kind == "indirect"
    assert quote.content.text == "the ceasefire has collapsed"
    assert quote.cue is not None and quote.cue.text == "According to"
    assert quote.speaker.actor_ids == ["UKRGOV"]
    assert quote.speaker.countries == ["UKR"]


def test_according_to_at_sentence_end_names_the_speaker(quotes_of):
    quote = only(quotes_of("The ceasefire has collapsed, according to the Ukrainian foreign ministry."))
    assert quote.speaker.actor_ids == ["UKRGOV"]
    assert quote.content.text.startswith("The ceasefire has collapsed")


def test_according_to_at_sentence_end_content_excludes_the_cue(quotes_of):
    quote = only(quotes_of("The ceasefire has collapsed, according to the Ukrainian foreign ministry."))
    assert quote.content.text == "The ceasefire has collapsed"


def test_said_that_gives_an_indirect_quote(quotes_of):
    quote = only(quotes_of("Antony Blinken said that the United States would send more aid to Kyiv."))
    assert quote.kind == "indirect"
    # The complementizer is part of the reported words, as attribution corpora (PolNeAR) mark them.
    assert quote.content.text == "that the United States would send more aid to Kyiv"
    assert quote.speaker.actor_ids == ["person:antony-blinken"]
    assert quote.speaker.countries == ["USA"]


def test_parenthetical_said_x_names_the_speaker(quotes_of):
    quote = only(quotes_of("The talks, said Chinese Foreign Minister Wang Yi, had made real progress."))
    assert quote.kind == "indirect"
    assert quote.speaker.actor_ids == ["person:wang-yi"]
    assert quote.speaker.countries == ["CHN"]
    # One contiguous span: the longer side of the parenthetical cue.
    assert quote.content.text == "had made real progress"


def test_parenthetical_content_excludes_the_cue(quotes_of):
    quote = only(quotes_of("The talks, said Chinese Foreign Minister Wang Yi, had made real progress."))
    assert "said" not in quote.content.text
    assert "Wang Yi" not in quote.content.text


@pytest.mark.parametrize("text", [
    "Sergei Lavrov issued a warning to the West: “There will be no deal with Washington this year.”",
    'Sergei Lavrov issued a warning: "There will be no deal with Washington this year."',
])
def test_colon_introduced_quote(quotes_of, text):
    quote = only(quotes_of(text))
    assert quote.kind == "direct"
    assert quote.content.text.startswith("There will be no deal with Washington")
    assert quote.rule == "cue:colon"
    assert quote.speaker.actor_ids == [LAVROV]


def test_colon_after_copular_clause(quotes_of):
    quote = only(quotes_of("Foreign Minister Sergei Lavrov was blunt: “There will be no deal with Washington this year.”"))
    assert quote.speaker.actor_ids == [LAVROV]


# -- speakers ---------------------------------------------------------------------------------------

def test_group_of_countries_speaks_together(quotes_of):
    quote = only(quotes_of("The U.S., UK and Japan said the missile launch violated several United Nations resolutions."))
    assert set(quote.speaker.actor_ids) == {"USA", "GBR", "JPN"}
    assert quote.speaker.countries == ["GBR", "JPN", "USA"]


def test_told_gives_the_addressee(quotes_of):
    quote = only(quotes_of("Sergei Lavrov told Reuters that the talks would resume in the autumn."))
    assert quote.content.text == "that the talks would resume in the autumn"
    assert quote.speaker.actor_ids == [LAVROV]
    assert quote.addressee is not None and quote.addressee.text == "Reuters"
    assert quote.addressee_actor_id is not None
    assert quote.addressee_actor_id != LAVROV


def test_said_has_no_addressee(quotes_of):
    quote = only(quotes_of("Sergei Lavrov said that the talks would resume in the autumn."))
    assert quote.addressee is None and quote.addressee_actor_id is None


def test_anonymous_speaker_is_flagged(quotes_of):
    quote = only(quotes_of("A senior U.S. official said the sanctions had cut oil revenues sharply."))
    assert quote.speaker.anonymous is True
    assert quote.speaker.descriptor == "A senior U.S. official"
    assert quote.speaker.countries == ["USA"]
    assert quote.content.text == "the sanctions had cut oil revenues sharply"


# -- what is not a quote -------------------------------------------------------------------------------

def test_two_word_scare_quote_is_not_a_quote_of_its_own(quotes_of):
    # The marks do not make "a mistake" a quote by themselves. The model may still read "called the plan …"
    # as the ministry's characterisation, an attribution as PolNeAR annotates it.
    quotes = quotes_of("The ministry called the plan “a mistake” in a short statement.")
    assert not [q for q in quotes if q.kind == "direct" or q.content.text.strip("“” ") == "a mistake"]


@pytest.mark.parametrize("text", [
    "“We will never surrender, the minister said. Sergei Lavrov said the talks “were useful.",
    "“Unbalanced quote without an end, Sergei Lavrov said",
    "”Backwards marks“ confuse ”everyone“.",
    '"',
    "“”",
    'Sergei Lavrov said "the talks were "useful" and "" then left.',
])
def test_unbalanced_marks_do_not_crash(quotes_of, text):
    quotes = quotes_of(text)  # the fixture checks every span against the text
    for quote in quotes:
        assert quote.content.end > quote.content.start


def test_no_speech_no_quotes(quotes_of):
    assert quotes_of("Russia and North Korea signed a deal on Tuesday.") == []
