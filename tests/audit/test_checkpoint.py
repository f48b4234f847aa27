"""Signed checkpoints: valid as the trail grows, refused when forged, never issued for a broken trail."""

import json

from sqlalchemy import text

from audit import checkpoint as checkpoints

from .helpers import assert_caught


def test_checkpoint_stays_valid_as_the_trail_grows(trail):
    """A checkpoint vouches for a prefix: later appends keep it valid."""
    trail.build()
    path = trail.checkpoint()
    assert json.loads(path.read_text())["seq"] == 9
    trail.user("erin")
    code, line = trail.verify("--checkpoint", path)
    assert code == 0 and line.startswith("OK: 10 audit entries verified"), line


def test_forged_checkpoint_is_refused(trail, tmp_path):
    """A checkpoint whose content was changed, or signed by another key, is not trusted."""
    trail.build()
    path = trail.checkpoint()
    document = json.loads(path.read_text())
    path.write_text(json.dumps({**document, "seq": 3}))
    code, line = trail.verify("--checkpoint", path)
    assert code == 2 and "signature" in line and "is not valid" in line, line
    other = tmp_path / "other" / "key.pem"
    checkpoints.write(path, checkpoints.load_or_create_key(other), 9, document["head_hash"], document["created_at"])
    code, line = trail.verify("--checkpoint", path)
    assert code == 2 and "is not valid" in line, line
    code, line = trail.verify("--checkpoint", path, "--public-key", checkpoints.public_key_path(other))
    assert code == 0, line


def test_broken_trail_is_not_signed(trail):
    """`flask audit checkpoint` refuses to vouch for a trail that does not verify."""
    trail.build()
    with trail.owner() as conn:
        conn.execute(text("UPDATE audit_log SET actor_username = 'mallory' WHERE seq = 2"))
    result = trail.cli("checkpoint", "--out", trail.directory / "cp.json")
    assert result.exit_code == 1 and "refusing to sign a broken trail" in result.output, result.output
    assert not (trail.directory / "cp.json").exists()
    assert_caught(trail.verify(), 2, "columns differ")
