"""Run the Traceability Interop conformance collection against a local tradetrace (issue 8).

Starts ``tradetrace serve`` over TLS on a free local port (a self-signed certificate made here),
creates the root organisation ``did:web:localhost%3A<port>`` and an OAuth client with every
interop scope, runs ``tests/assets/interop/conformance_suite.postman_collection.json`` with
newman (installed locally into ``.ci/node``), prints the results per folder and exits with
newman's status. Called by ``scripts/conformance``; arguments are passed on to newman.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "tests" / "assets" / "interop"
NODE = ROOT / ".ci" / "node"
NEWMAN_VERSION = "6.2.2"
SKIPPED_FOLDERS = {"Clear Cache"}  # HEAD www.example.com: no network here, nothing to clear


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "tls.key", folder / "tls.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _newman() -> Path:
    """newman from the npm registry, installed into .ci/node (never globally)."""
    binary = NODE / "node_modules" / ".bin" / "newman"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("error: npm is needed to install newman (apt-get install npm)")
        subprocess.run(  # noqa: S603 - fixed arguments
            [npm, "install", "--prefix", str(NODE), "--no-audit", "--no-fund",
             "--loglevel=error", f"newman@{NEWMAN_VERSION}"],
            check=True,
        )  # fmt: skip
    return binary


def _tradetrace(data_dir: Path, env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "tradetrace", "--data-dir", str(data_dir), *args]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"tradetrace serve exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, context=context, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"tradetrace serve did not start:\n{log.read_text()}")


def _folders(collection: Path) -> list[str]:
    items = json.loads(collection.read_text())["item"]
    return [item["name"] for item in items if item["name"] not in SKIPPED_FOLDERS]


def _summary(report: Path) -> None:
    """Per top-level folder: requests whose every assertion passed, and those that did not."""
    data = json.loads(report.read_text())
    run = data["run"]
    paths: dict[str, str] = {}

    def walk(items: list[dict[str, object]], folder: str | None) -> None:
        for item in items:
            if "item" in item:
                walk(item["item"], folder or str(item["name"]))  # type: ignore[arg-type]
            else:
                paths[str(item["id"])] = folder or ""

    walk(data["collection"]["item"], None)  # the report's copy: newman gave each item an id
    passed: Counter[str] = Counter()
    failed: dict[str, list[str]] = {}
    for execution in run["executions"]:
        item = execution["item"]
        folder = paths.get(item.get("id", ""), "?")
        errors = [a for a in execution.get("assertions", []) if a.get("error")]
        if errors or execution.get("requestError"):
            reason = errors[0]["error"]["message"] if errors else "request error"
            failed.setdefault(folder, []).append(f"{item['name']}: {reason}")
        else:
            passed[folder] += 1
    lines = ["", "== conformance results per folder"]
    for folder in dict.fromkeys([*passed, *failed]):
        lines.append(f"{folder}: {passed[folder]} passed, {len(failed.get(folder, []))} failed")
        lines += [f"    FAIL {line}" for line in failed.get(folder, [])]
    sys.stdout.write("\n".join(lines) + "\n")


def main() -> int:
    """Run the suite; newman's exit status."""
    newman = _newman()
    work = Path(tempfile.mkdtemp(prefix="tradetrace-conformance-"))
    port = _free_port()
    base = f"https://localhost:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADETRACE_")}
    env.update({"TRADETRACE_PUBLIC_URL": base, "TRADETRACE_PORT": str(port)})
    data_dir = work / "data"
    key_path, cert_path = _certificate(work)
    organisation = _tradetrace(
        data_dir, env, "org", "create", "conformance", "--name", "Conformance Org",
        "--country", "US", "--root", "--json",
    )  # fmt: skip
    did = json.loads(organisation)["did"]
    client = json.loads(
        _tradetrace(data_dir, env, "client", "create", "--org", "conformance", "--json")
    )
    log = work / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "tradetrace", "--data-dir", str(data_dir), "serve",
             "--port", str(port), "--ssl-keyfile", str(key_path), "--ssl-certfile", str(cert_path)],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(f"{base}/healthz", server, log)
        collection = ASSETS / "conformance_suite.postman_collection.json"
        report = work / "newman.json"
        variables = {
            "API_BASE_URL": f"{base}/interop",
            "CLIENT_ID": client["client_id"],
            "CLIENT_SECRET": client["client_secret"],
            "CLIENT_SCOPE": client["scope"],
            "ORGANIZATION_DID_WEB": did,
            "TOKEN_AUDIENCE": base,
            "TOKEN_ENDPOINT": f"{base}/oauth/token",
        }
        command = [str(newman), "run", str(collection), "--insecure",
                   "-e", str(ASSETS / "conformance_suite.postman_environment.json"),
                   "--reporters", "cli,json", "--reporter-json-export", str(report),
                   "--reporter-cli-no-assertions", "--reporter-cli-no-console"]  # fmt: skip
        for name, value in variables.items():
            command += ["--env-var", f"{name}={value}"]
        for folder in _folders(collection):
            command += ["--folder", folder]
        status = subprocess.run([*command, *sys.argv[1:]], check=False).returncode  # noqa: S603
        if report.exists():
            _summary(report)
        return status
    finally:
        server.terminate()
        server.wait(timeout=30)
        if os.environ.get("TRADETRACE_KEEP_CONFORMANCE") is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            sys.stderr.write(f"kept {work}\n")


if __name__ == "__main__":
    sys.exit(main())
