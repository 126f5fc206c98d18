from summarizer.extract.grounding import Locator, is_valid, locate


def test_exact_quote_gets_offsets(seed_text: str) -> None:
    found = locate(seed_text, "three people were killed")
    assert found is not None and found.match == "exact"
    assert seed_text[found.start : found.end] == "three people were killed"


def test_curly_quotes_and_spacing_are_folded(seed_text: str) -> None:
    found = locate(seed_text, "Kata'ib   Hezbollah commander")
    assert found is not None and found.match == "normalized"
    assert found.quote == "Kata’ib Hezbollah commander"
    assert is_valid(seed_text, found)


def test_fuzzy_match_for_a_near_copy(seed_text: str) -> None:
    found = locate(seed_text, "Rudaw's reporter in Bagdad Halkawt Aziz said")
    assert found is not None and found.match == "fuzzy"
    assert is_valid(seed_text, found)


def test_text_not_in_the_article_is_rejected(seed_text: str) -> None:
    assert locate(seed_text, "killing 500 people in Paris") is None
    assert locate(seed_text, "") is None
    assert locate(seed_text, None) is None


def test_nearest_occurrence_wins(seed_text: str) -> None:
    loc = Locator(seed_text)
    late = loc.locate("Baghdad", near=len(seed_text))
    early = loc.locate("Baghdad", near=0)
    assert late is not None and early is not None and late.start > early.start


def test_soft_hyphen_inside_a_name() -> None:
    text = "Police arrested Joseph Hig\xadgins on Monday."
    found = locate(text, "Joseph Higgins")
    assert found is not None and is_valid(text, found)
