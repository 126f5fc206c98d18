"""The one folding module: comparison keys and search views, never a changed article."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import summarizer.text
from summarizer.text.folding import (
    INVISIBLE,
    FoldedText,
    fold_confusables,
    fold_name,
    fold_quote,
    skeleton,
    strip_accents,
    strip_invisible,
)

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"


def test_invisible_characters_are_listed_once_in_the_package() -> None:
    # A second list drifts: grounding once dropped five of these and the injection scan eleven.
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if path.name != "folding.py":
            assert "\\u200b" not in source and "\\xad" not in source and "\\u00ad" not in source, path


def test_strip_invisible() -> None:
    assert strip_invisible("Ki\u00adlled in Ka\u200bno\u200e\u2060") == "Killed in Kano"
    assert all(strip_invisible(ch) == "" for ch in INVISIBLE)


def test_folded_text_maps_back_to_original_offsets() -> None:
    original = "Kata\u2019ib  Hez\u00adbollah \u2014 said"
    folded = FoldedText.build(original)
    assert folded.text == "kata'ib hezbollah - said"
    start = folded.text.index("hezbollah")
    begin, end = folded.span(start, start + len("hezbollah"), len(original))
    assert original[begin:end] == "Hez\u00adbollah"


def test_fold_quote_trims_and_folds() -> None:
    assert fold_quote("  \u201cAt least 16\u201d\u00a0killed ") == '"at least 16" killed'


def test_name_folds() -> None:
    assert strip_accents("Al Anb\u0101r") == "Al Anbar"
    assert fold_name("The U.S. Kata\u2019ib  Hezbollah") == "us kataib hezbollah"
    assert fold_name("Al-Anb\u0101r\u00ad") == "al anbar"


def test_look_alikes_fold_to_latin() -> None:
    assert fold_confusables("Ign\u043ere \u0399GNORE \uff49gnore \U0001d428") == "Ignore IGNORE ignore o"
    assert fold_confusables("caf\u00e9 \u0431") == "cafe \u0431"  # a Cyrillic letter unlike any Latin one stays


def test_skeleton_drops_invisibles_and_marks_and_keeps_offsets() -> None:
    text = "Ig\u00adn\u043ere e\u0301"
    view = skeleton(text)
    assert view.text == "Ignore e"
    assert [text[i] for i in view.offsets] == ["I", "g", "n", "\u043e", "r", "e", " ", "e"]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_confusable_fold_never_changes_length(text: str) -> None:
    assert len(fold_confusables(text)) == len(text)
    view = skeleton(text)
    assert len(view.text) == len(view.offsets)
    assert all(0 <= i < len(text) for i in view.offsets)


# ---------------------------------------------------------------- the text layer's boundaries

_LAYER_1 = {"summarizer.schema", "summarizer.raw", "summarizer.errors", "summarizer.config", "summarizer.text"}


def _modules() -> list[Path]:
    return sorted((PACKAGE / "text").glob("*.py"))


def test_the_text_layer_imports_nothing_above_it() -> None:
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in (n for n in names if n.split(".")[0] == "summarizer"):
                assert any(name == allowed or name.startswith(allowed + ".") for allowed in _LAYER_1), (path, name)


def test_every_public_name_of_the_text_layer_is_in_all() -> None:
    defined: set[str] = set()
    for path in _modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defined.add(node.target.id)
    public = {name for name in defined if not name.startswith("_")}
    assert public == set(summarizer.text.__all__)
    assert all(hasattr(summarizer.text, name) for name in summarizer.text.__all__)
