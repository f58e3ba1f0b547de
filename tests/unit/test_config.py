import textwrap

import pytest

from airflow_provider_kmrl.config import load_sources
from airflow_provider_kmrl.exceptions import SourcesFileError


def _write(tmp_path, text):
    path = tmp_path / "kmrl_sources.yaml"
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_valid_file_with_defaults(tmp_path):
    config = load_sources(_write(tmp_path, """
        defaults: {max_file_size: 1GiB}
        sources:
          - name: uploads
            kind: upload
            options: {path: /data/uploads, after_ingest: move, processed_path: /data/done}
    """))
    src = config.source("uploads")
    assert src.setting(config.defaults, "max_file_size") == 1024**3
    assert src.setting(config.defaults, "clamav_conn_id") == "kmrl_clamav"


@pytest.mark.parametrize(
    "body,needle",
    [
        ("sources: [{name: Bad-Name, kind: upload, options: {path: /x}}]", "source 'Bad-Name' (sources[0]): name"),
        ("sources: [{name: up, kind: ftp}]", "source 'up' (sources[0]): kind: unknown kind 'ftp'"),
        ("sources: [{name: up, kind: upload, options: {path: /x, colour: red}}]",
         "source 'up' (sources[0]), kind upload: options.colour: unknown key"),
        ("sources: [{name: up, kind: upload, options: {}}]", "options.path: Field required"),
        ("sources: [{name: up, kind: upload, options: {path: /x, after_ingest: move}}]",
         "after_ingest: move needs processed_path"),
        ("sources: [{name: a, kind: upload, options: {path: /x}}, {name: a, kind: upload, options: {path: /y}}]",
         "source 'a' (sources[1]): name is used twice"),
        ("defaults: {max_file_size: lots}\nsources: []", "defaults.max_file_size"),
        ("sources: [{name: up, kind: upload, schedul: '@daily', options: {path: /x}}]", "schedul: unknown key"),
        ("sources: [oops", "not valid YAML"),
    ],
)
def test_errors_name_the_source_and_field(tmp_path, body, needle):
    with pytest.raises(SourcesFileError) as err:
        load_sources(_write(tmp_path, body))
    assert needle in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(SourcesFileError, match="KMRL_SOURCES_FILE"):
        load_sources(str(tmp_path / "absent.yaml"))
