"""The two ways the API authenticates to GCS, run for real: a service-account key file
(`APP_API_GCP_SERVICE_ACCOUNT_JSON_PATH`) and Application Default Credentials.

No Google account is needed: the key is made here, and its `token_uri` points at a token endpoint
served by this test, so google-auth really signs a JWT with the key, posts it, and gets a token.
The key-file case then lists the emulator's bucket with those credentials.
"""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from api.storage import GCSStorage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from devtools.emulator import FakeGcs
from google.auth import jwt
from support import BUCKET_PANDAS15

BUCKET = "hourly-batch-predictions"
ACCOUNT = "forecast-reader@test-project.iam.gserviceaccount.com"
TOKEN = "token-issued-by-the-test"
READ_ONLY_SCOPE = "https://www.googleapis.com/auth/devstorage.read_only"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"  # named in the JWT, whichever URL it is posted to


class TokenEndpoint:
    """An OAuth 2.0 token endpoint on loopback that issues TOKEN for any JWT assertion, and keeps them."""

    def __init__(self) -> None:
        assertions = self.assertions = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the name http.server calls
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                assertions.append(form["assertion"][0])
                body = json.dumps({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "TokenEndpoint":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def token_endpoint() -> Iterator[TokenEndpoint]:
    with TokenEndpoint() as endpoint:
        yield endpoint


@pytest.fixture
def key(tmp_path: Path, token_endpoint: TokenEndpoint) -> tuple[Path, bytes]:
    """A service-account key file whose tokens come from `token_endpoint`; its path and public key (PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = tmp_path / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "test-project",
                "private_key_id": "test-key",
                "private_key": pem.decode(),
                "client_email": ACCOUNT,
                "client_id": "1",
                "token_uri": token_endpoint.url,
            }
        )
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return path, public


def assert_signed_by(assertion: str, public_key: bytes) -> None:
    """The JWT google-auth posted: signed with the key file's key, for its account, asking read-only access."""
    claims = jwt.decode(assertion, certs={"test-key": public_key.decode()}, audience=GOOGLE_TOKEN_AUDIENCE)
    assert claims["iss"] == ACCOUNT and claims["scope"] == READ_ONLY_SCOPE


@pytest.mark.emulator
def test_a_key_file_is_used_to_sign_in_and_the_bucket_is_listed_with_it(key, token_endpoint, monkeypatch):
    key_path, public_key = key
    with FakeGcs() as server:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
        server.create_bucket(BUCKET)
        server.upload_folder(BUCKET, BUCKET_PANDAS15, prefix="daily/")
        storage = GCSStorage(f"{BUCKET}/daily", "key-file-project", str(key_path))
        versions = storage.versions(["predictions.parquet", "X.parquet", "absent.parquet"])
        assert sorted(versions) == ["X.parquet", "predictions.parquet"]
        assert storage.read("X.parquet") == (BUCKET_PANDAS15 / "X.parquet").read_bytes()
    assert storage.fs.credentials.credentials.service_account_email == ACCOUNT
    assert len(token_endpoint.assertions) == 1  # one token, kept for both requests
    assert_signed_by(token_endpoint.assertions[0], public_key)


def test_without_a_key_file_or_emulator_application_default_credentials_are_used(key, token_endpoint, monkeypatch):
    key_path, public_key = key
    monkeypatch.delenv("STORAGE_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_path))  # what ADC reads first
    storage = GCSStorage(f"{BUCKET}/daily", "test-project", "")
    credentials = storage.fs.credentials
    assert credentials.method == "google_default"
    assert credentials.credentials.service_account_email == ACCOUNT
    headers: dict[str, str] = {}
    credentials.apply(headers)  # what gcsfs does before each request: fetch a token, then use it
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert_signed_by(token_endpoint.assertions[0], public_key)


def test_against_an_emulator_without_a_key_file_no_credentials_are_sent(monkeypatch, token_endpoint):
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9")
    storage = GCSStorage(f"{BUCKET}/daily", "emulator-project", "")
    assert storage.fs.credentials.credentials is None  # gcsfs's anonymous mode
    headers: dict[str, str] = {}
    storage.fs.credentials.apply(headers)
    assert headers == {} and token_endpoint.assertions == []
