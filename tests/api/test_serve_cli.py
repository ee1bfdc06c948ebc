"""`mfactory serve` refuses to start on bad token configuration, without printing a token."""

from __future__ import annotations

from pathlib import Path

from mfactory.api.auth import Role, parse_tokens


def test_no_tokens_no_server(run_cli, tmp_path: Path) -> None:
    result = run_cli("serve", "--data-dir", str(tmp_path), env={"MFACTORY_API_TOKENS": ""})
    assert result.exit_code == 2
    assert "no API tokens configured" in result.stderr


def test_bad_tokens_file_names_the_entry_not_the_token(run_cli, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("# team tokens\ngood-token-123:operator\nsecret-token-456:admin\n")
    result = run_cli("serve", "--tokens-file", str(tokens), "--data-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "entry 2" in result.stderr and "'admin'" in result.stderr
    assert "secret-token-456" not in result.stderr + result.stdout
    missing = run_cli("serve", "--tokens-file", str(tmp_path / "nope"), "--data-dir", str(tmp_path))
    assert missing.exit_code == 2 and "cannot read tokens file" in missing.stderr


def test_token_table_matches_whole_tokens_only() -> None:
    table = parse_tokens("alpha-token-1:viewer, beta-token-22:operator", origin="test")
    assert table.role_of("alpha-token-1") is Role.VIEWER
    assert table.role_of("beta-token-22") is Role.OPERATOR
    for wrong in ("alpha-token-", "alpha-token-12", "", "beta-token-22 ", "BETA-TOKEN-22"):
        assert table.role_of(wrong) is None
