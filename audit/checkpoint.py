"""Signed checkpoints: (seq, head hash) signed with an Ed25519 key kept outside the database."""

import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .verify import Checkpoint

FORMAT = "cellbank-audit-checkpoint-v1"


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted."""


def _message(seq: int, head_hash: str, created_at: str) -> bytes:
    return f"{FORMAT}\n{seq}\n{head_hash}\n{created_at}".encode()


def public_key_path(private_key_path: Path) -> Path:
    return private_key_path.with_name(private_key_path.name + ".pub")


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """Load the signing key, creating it (mode 0600) with its public half beside it on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise CheckpointError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_key_path(path).write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return key


def write(path: Path, key: Ed25519PrivateKey, seq: int, head_hash: str, created_at: str) -> None:
    """Write a signed checkpoint file."""
    signature = key.sign(_message(seq, head_hash, created_at))
    document = {"format": FORMAT, "seq": seq, "head_hash": head_hash, "created_at": created_at,
                "signature": signature.hex()}
    path.write_text(json.dumps(document, indent=2) + "\n")


def read(path: Path, public_key_file: Path) -> Checkpoint:
    """Read a checkpoint and check its signature against the trusted public key."""
    try:
        document = json.loads(path.read_text())
        public_key = serialization.load_pem_public_key(public_key_file.read_bytes())
        if document.get("format") != FORMAT or not isinstance(public_key, Ed25519PublicKey):
            raise CheckpointError(f"{path} is not a {FORMAT} file or the key is not Ed25519")
        seq, head_hash = int(document["seq"]), str(document["head_hash"])
        public_key.verify(bytes.fromhex(document["signature"]), _message(seq, head_hash, document["created_at"]))
    except InvalidSignature:
        raise CheckpointError(f"the signature of {path} is not valid for {public_key_file}") from None
    except (OSError, ValueError, KeyError) as error:
        raise CheckpointError(f"cannot read checkpoint {path}: {error}") from None
    return Checkpoint(seq, head_hash)
