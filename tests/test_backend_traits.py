"""Backend traits answer what callers used to ask by comparing backend names."""

from __future__ import annotations

from summarizer.backends import traits_for
from summarizer.batch.runner import _default_model, sequential
from summarizer.config import Settings


def test_traits_from_the_settings_alone() -> None:
    rules = traits_for(Settings(backend="rules"))
    local = traits_for(Settings(backend="local"))
    hosted = traits_for(Settings(backend="openai", api_key="k"))
    server = traits_for(Settings(backend="openai", base_url="http://127.0.0.1:8080/v1"))
    remote = traits_for(Settings(backend="openai", base_url="http://gpu-box:8000/v1"))
    assert rules.in_process and not rules.billed and not rules.supports_json_schema
    assert local.in_process and not local.billed and local.supports_json_schema and not local.hosted
    assert hosted.hosted and hosted.billed and not hosted.in_process and not hosted.local_server
    assert server.local_server and not server.hosted and not server.billed
    assert not remote.local_server and not remote.hosted and not remote.billed


def test_batch_asks_the_traits() -> None:
    assert sequential(Settings(backend="local")) and sequential(Settings(backend="rules"))
    assert not sequential(Settings(backend="openai", base_url="http://127.0.0.1:8080/v1"))
    assert _default_model(Settings(backend="openai", api_key="k")) == "gpt-4o-mini"
    assert _default_model(Settings(backend="rules")) == "rules"
