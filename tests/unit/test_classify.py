import pytest

from airflow_provider_kmrl.pipeline.classify import language_of
from tests.corpus import CIRCULAR_EN, CIRCULAR_ML


@pytest.mark.parametrize(
    "text,expected",
    [
        (CIRCULAR_EN, "en"),
        (CIRCULAR_ML, "ml"),
        (CIRCULAR_EN + CIRCULAR_ML, "bilingual"),
        ("12,345.00 | 67 | 2026-03-01\n" * 50 + CIRCULAR_ML, "ml"),  # tables of numbers do not count
        ("", "unknown"),
        ("1234 5678 ----", "unknown"),
        (CIRCULAR_ML + " Page 1 of 2 ", "ml"),  # a little English boilerplate stays Malayalam
    ],
)
def test_language_from_script_share(text, expected):
    assert language_of(text) == expected
