"""Normalising Malayalam as PDFs and editors deliver it, and telling the languages apart."""

from __future__ import annotations

import pytest

from airflow_provider_kmrl.classification.language import detect_language
from airflow_provider_kmrl.classification.matcher import Term, TermMatcher, token_keys
from airflow_provider_kmrl.classification.text import english_key, normalise
from tests.corpus import CIRCULAR_EN, CIRCULAR_ML

ML_BODY = CIRCULAR_ML + (
    "വേനൽക്കാലത്ത് തീപിടിത്ത സാധ്യത കൂടുതലായതിനാൽ എല്ലാ സ്റ്റേഷനുകളിലും അഗ്നിശമന ഉപകരണങ്ങൾ പരിശോധിക്കണം.\n"
    "അടിയന്തര വാതിലുകളും രക്ഷാമാർഗങ്ങളും ഒരു കാരണവശാലും തടസ്സപ്പെടുത്തരുത്.\n"
    "ഈ നിർദ്ദേശങ്ങൾ കരാർ ജീവനക്കാർ ഉൾപ്പെടെ എല്ലാവരെയും അറിയിച്ചുവെന്ന് സ്റ്റേഷൻ മാനേജർമാർ ഉറപ്പുവരുത്തണം.\n"
)
LETTERHEAD = (
    "കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡ്\nKochi Metro Rail Limited, JLN Stadium Metro Station, Kaloor, Kochi 682017\n"
)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("ര\u0d4d\u200d", "\u0d7c"),  # old chillu (RA + virama + ZWJ) -> atomic chillu RR
        ("സര\u0d4d\u200dക്കുലര\u0d4d\u200d", "സർക്കുലർ"),
        ("കൊച്ചി\u200c", "കൊച്ചി"),  # zero-width non-joiner dropped
        ("\u0d46\u0d15\u0d3e\u0d1a\u0d4d\u0d1a\u0d3f", "കൊച്ചി"),  # visual order from a PDF: െ ക ാ -> കൊ
        ("പരിശ1ോധന", "പരിശോധന"),  # a stray glyph code inside a word
        ("മെ?ട്രAോ റെയിൽ", "മെട്രോ റെയിൽ"),
        ("ആലുവ-എയർപോർട്ട് 2026ൽ", "ആലുവ-എയർപോർട്ട് 2026ൽ"),  # real separators and digits stay
        ("Plain English, unchanged.", "Plain English, unchanged."),
    ],
)
def test_normalise_repairs_what_extraction_breaks(raw, expected):
    assert normalise(raw) == expected


def test_english_keys_fold_plurals_alike():
    assert english_key("Invoices") == english_key("invoice") == "invoice"
    assert english_key("policies") == "policy" and english_key("process") == "process"


@pytest.mark.parametrize(
    "term,text",
    [
        ("സർക്കുലർ", "ഈ സർക്കുലറിൽ പറയുന്ന നിർദ്ദേശങ്ങൾ"),  # chillu -> RRA + suffix
        ("റിപ്പോർട്ട്", "പ്രതിമാസ റിപ്പോർട്ടുകൾ"),  # final virama -> vowel sign + suffix
        ("സ്റ്റേഷൻ", "സ്റ്റേഷനിൽ നിന്ന്"),
        ("സുരക്ഷാ സർക്കുലർ", "സുരക്ഷാ സർക്കുലറിന്റെ പകർപ്പ്"),  # phrase, last word inflected
        ("tax invoice", "TAX INVOICES for April"),
        ("reimburs*", "Reimbursement of medical expenses"),
    ],
)
def test_terms_match_inflected_and_plural_forms(term, text):
    matcher = TermMatcher([Term("doc_category", "x", term, 1.0)])
    assert matcher.count(token_keys([text])) == {0: 1}


@pytest.mark.parametrize(
    "term,text",
    [
        ("invoice", "invoiced"),  # English words match whole, not as prefixes
        ("tax invoice", "tax and invoice"),
        ("സുരക്ഷാ സർക്കുലർ", "സുരക്ഷാ വിഭാഗം സർക്കുലർ"),  # phrase words must be adjacent
    ],
)
def test_terms_do_not_match_other_words(term, text):
    assert not TermMatcher([Term("doc_category", "x", term, 1.0)]).count(token_keys([text]))


def test_phrases_do_not_span_two_texts():
    matcher = TermMatcher([Term("doc_category", "x", "purchase order", 1.0)])
    assert not matcher.count(token_keys(["urgent purchase", "order the spares"]))


@pytest.mark.parametrize(
    "text,expected",
    [
        (CIRCULAR_EN, "en"),
        (CIRCULAR_ML, "ml"),
        (CIRCULAR_EN + CIRCULAR_ML, "bilingual"),
        ("12,345.00 | 67 | 2026-03-01\n" * 50 + CIRCULAR_ML, "ml"),  # numbers and tables do not count
        ("", "unknown"),
        ("1234 5678 ---- 9", "unknown"),
        ("ok", "unknown"),  # too few letters to tell
        # a Malayalam circular on an English letterhead, with acronyms, stays Malayalam
        (LETTERHEAD + "Ref: KMRL/SAFETY/2026/14 www.kochimetro.org safety@kmrl.co.in\n" + ML_BODY, "ml"),
        # an English letter on the bilingual letterhead stays English
        (LETTERHEAD + CIRCULAR_EN * 3, "en"),
        # a header repeated on every page counts once
        (("Kochi Metro Rail Limited - Confidential\nPage 1\n" + ML_BODY) * 6, "ml"),
        # Malayalam written with old-style chillus is still Malayalam
        ("സര\u0d4d\u200dക്കുലര\u0d4d\u200d നമ്പര\u0d4d\u200d 14 " * 5, "ml"),
    ],
)
def test_language_from_script_shares(text, expected):
    assert detect_language(text).language == expected


def test_bilingual_needs_a_real_share_of_the_second_script():
    one_gloss = CIRCULAR_ML * 3 + "(Emergency stop plunger)"
    assert detect_language(one_gloss).language == "ml"
    verdict = detect_language(CIRCULAR_ML + CIRCULAR_EN)
    assert verdict.language == "bilingual" and 0.2 < verdict.malayalam_share < 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Document 7\n" + "0123456789abcdef" * 3750,  # a hex dump: one 60,000-character "word"
        "a@" * 30_000,
        "@" * 60_000,
        "www." * 15_000,
        ("ക" * 63 + "?") * 900,
    ],
)
def test_pathological_text_is_classified_in_linear_time(text):
    import time

    from airflow_provider_kmrl.classification.classifier import RulesClassifier
    from airflow_provider_kmrl.classification.extractors import Extracted

    classifier = RulesClassifier(isolate=False)
    started = time.perf_counter()
    classifier.analyse_extracted(Extracted(text), "doc-0007.txt", {})
    assert time.perf_counter() - started < 1.0
