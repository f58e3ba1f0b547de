"""The rule file a document team edits, and the decisions the classifier makes with it."""

from __future__ import annotations

import os

import pytest

from airflow_provider_kmrl.classification.classifier import RulesClassifier
from airflow_provider_kmrl.classification.extractors import Extracted
from airflow_provider_kmrl.classification.rules import DEFAULT_RULES_FILE, RulesError, load_rules, parse_rules
from airflow_provider_kmrl.core.types import ClassifyInput

MINIMAL = """
version: "t1"
departments:
  safety: {terms: {safety: 2}}
categories:
  safety_circular: {department: safety, terms: {circular: 4}}
"""


@pytest.fixture(scope="module")
def classifier() -> RulesClassifier:
    return RulesClassifier(isolate=False)


def _classify(classifier, text, name="document.txt", metadata=None):
    return classifier.analyse_extracted(Extracted(text, "text"), name, metadata or {}).classification


def test_the_packaged_rules_load_and_name_their_version():
    rules = load_rules(DEFAULT_RULES_FILE)
    assert rules.version.startswith(f"rules-{rules.spec.version}+") and len(rules.digest) == 64
    assert set(rules.spec.categories) >= {"invoice", "board_minutes", "regulatory_notice"}


@pytest.mark.parametrize(
    "edit,message",
    [
        ("categories:\n  safety_circlar: {terms: {circular: 4}}\n", "unknown label(s) safety_circlar"),
        ("categories:\n  safety_circular: {department: safty, terms: {circular: 4}}\n", "safty"),
        (
            "categories:\n  safety_circular: {terms: {circular: high}}\n",
            "categories.safety_circular.terms.circular",
        ),
        ("settings: {titel_weight: 3}\n", "settings.titel_weight"),
        ("version: [\n", "not valid YAML"),
    ],
)
def test_a_broken_edit_fails_loudly_and_says_where(edit, message):
    base = MINIMAL.replace("categories:\n  safety_circular: {department: safety, terms: {circular: 4}}\n", "")
    text = (base + edit) if not edit.startswith("version") else edit
    with pytest.raises(RulesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_rules(text, "team-rules.yaml")


def test_any_edit_changes_the_classifier_version():
    a = parse_rules(MINIMAL)
    b = parse_rules(MINIMAL.replace("circular: 4", "circular: 5"))
    assert a.spec.version == b.spec.version and a.version != b.version


def test_the_rules_file_can_come_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "rules.yaml"
    path.write_text(MINIMAL)
    monkeypatch.setenv("KMRL_RULES_FILE", str(path))
    assert RulesClassifier(isolate=False).version.startswith("rules-t1+")


@pytest.mark.parametrize(
    "name,text,department,category",
    [
        (
            "WO-448211.txt",
            "WORK ORDER 448211. Work type CM. Priority 2. Assigned to signalling team B. Replace the "
            "detector of point machine 07 and test before handing over.",
            "engineering",
            "work_order",
        ),
        (
            "scan.txt",
            "ഡയറക്ടർ ബോർഡിന്റെ യോഗത്തിന്റെ മിനിറ്റ്സ്. ഹാജരായവർ: ചെയർമാൻ, മാനേജിങ് ഡയറക്ടർ. "
            "അജണ്ട 1: കഴിഞ്ഞ യോഗത്തിന്റെ മിനിറ്റ്സ് അംഗീകരിച്ചു. പ്രമേയം പാസാക്കി.",
            "executive",
            "board_minutes",
        ),
        (
            "note.txt",
            "അപകട റിപ്പോർട്ട്: മുട്ടം ഡിപ്പോയിലെ പിറ്റിൽ ടെക്നീഷ്യൻ വഴുതി വീണ് പരിക്കേറ്റു. "
            "ആശുപത്രിയിൽ പ്രവേശിപ്പിച്ചു. മൂലകാരണം അന്വേഷിക്കുന്നു.",
            "safety",
            "incident_report",
        ),
    ],
)
def test_typical_documents(classifier, name, text, department, category):
    result = _classify(classifier, text, name)
    assert (result.department, result.doc_category) == (department, category)
    assert result.classifier_version == classifier.version and 0 < result.confidence <= 1


def test_weak_evidence_is_unknown_not_a_guess(classifier):
    result = _classify(
        classifier, "Please see me tomorrow about the arrangements for the function.", "note.txt"
    )
    assert (result.department, result.doc_category) == ("unknown", "other")


def test_the_file_name_counts_more_than_the_body(classifier):
    body = "Figures for the week are attached.\nAluva 812\nEdapally 690\nVyttila 744"
    assert _classify(classifier, body, "attachment.txt").doc_category == "other"
    assert _classify(classifier, body, "weekly-ridership-report.txt").doc_category == "operations_report"


def test_issuer_outweighs_topic(classifier):
    text = (
        "TRAINING NOTICE. A fire warden training programme on extinguishers, evacuation and hose reels "
        "will be held at the depot; nominations to the Chief Safety Officer.\nSafety Department"
    )
    result = _classify(classifier, text, "notice.txt")
    assert (result.department, result.doc_category) == ("safety", "training_notice")


def test_source_metadata_hints(classifier):
    text = "Replace the filter cartridges and record the pressure drop. Estimated 2 hours."
    assert _classify(classifier, text, "task.txt").department == "unknown"
    maximo = _classify(classifier, text, "task.txt", {"wonum": "451907", "worktype": "PM"})
    assert maximo.department == "engineering"
    mail = _classify(
        classifier,
        "Please release the payment for the attached bill of 52,510.",
        "mail.eml",
        {"subject": "Invoice VBS/0098 for towing charges", "sender": "billing@boats.example"},
    )
    assert (mail.department, mail.doc_category) == ("finance", "invoice")


def test_an_unreadable_file_is_unknown_and_never_raises(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7 garbage")
    result = RulesClassifier().classify(ClassifyInput(str(path), "application/pdf", "broken.pdf"))
    assert (result.department, result.doc_category, result.language) == ("unknown", "other", "unknown")


def test_classifier_extracts_real_files_in_its_workers(classifier):
    path = "tests/eval/docs/finance/invoices/ഇൻവോയ്സ്_കേബിൾ_വിതരണം.pdf"
    isolated = RulesClassifier().classify(ClassifyInput(path, "application/pdf", os.path.basename(path)))
    inline = classifier.classify(ClassifyInput(path, "application/pdf", os.path.basename(path)))
    assert isolated == inline
    assert (isolated.department, isolated.doc_category, isolated.language) == ("finance", "invoice", "ml")


def test_classify_in_a_worker_decides_as_in_process(classifier):
    """The decision made where the text was extracted equals the one made here, metadata included."""
    import datetime
    import glob

    from airflow_provider_kmrl.pipeline.detect import sniff_mime

    isolated = RulesClassifier()
    paths = sorted(glob.glob("tests/eval/docs/**/*.*", recursive=True))[::4]
    assert len(paths) >= 15
    for path in paths:
        with open(path, "rb") as fh:
            mime = sniff_mime(path, fh.read(65536))
        metadata = {"subject": "Safety circular", "received": datetime.datetime(2026, 1, 2), "path": path}
        doc = ClassifyInput(path, mime, os.path.basename(path), metadata)
        plain = {k: v for k, v in metadata.items() if k != "received"}  # not JSON: not sent, not read
        assert isolated.classify(doc) == classifier.classify(ClassifyInput(path, mime, doc.file_name, plain)), path


def test_rules_changed_on_disk_are_not_used_by_a_worker(tmp_path):
    """A worker must decide with the rules the caller loaded, not with a newer file of the same name."""
    rules_file = tmp_path / "rules.yaml"
    with open(DEFAULT_RULES_FILE, "rb") as fh:
        rules_file.write_bytes(fh.read())
    isolated = RulesClassifier(str(rules_file))
    note = tmp_path / "circular.txt"
    note.write_text("Safety circular: all staff must complete the fire safety refresher course.\n")
    doc = ClassifyInput(str(note), "text/plain", note.name)
    rules_file.write_bytes(rules_file.read_bytes().replace(b"version:", b"# edited\nversion:", 1))
    result = isolated.classify(doc)  # the first request naming this file: the worker reads it now
    assert result.classifier_version == isolated.version  # the loaded rules', not the edited file's
    assert result == RulesClassifier(rules=isolated.rules, isolate=False).classify(doc)
