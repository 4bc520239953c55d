"""The log collecting witness cosignatures (C2SP tlog-witness), through an injected client."""

import logging

import httpx
import pytest

from tests.conftest import FIXED_NOW
from tests.witnesses import make_witness, witness_client
from tradetrace.errors import ConfigurationError
from tradetrace.ledger import checkpoint, notekeys
from tradetrace.ledger.log import InMemoryLogStore, TransparencyLog
from tradetrace.workflows import setup
from tradetrace.workflows.cosigning import Cosigning, WitnessEndpoint

ORIGIN = "tradetrace.test/log"


@pytest.fixture
def log():
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    return TransparencyLog(InMemoryLogStore(), origin=ORIGIN, signer=signer), signer.verifier()


@pytest.fixture
def witnesses(tmp_path, log):
    _, key = log
    return {
        f"w{number}.test": make_witness(
            tmp_path / f"w{number}.json", {ORIGIN: [key]}, name=f"witness.test/w{number}"
        )
        for number in range(3)
    }


def _endpoint(host, witness):
    return WitnessEndpoint.from_setting(f"http://{host}/={witness.vkey}")


def _grow(transparency_log, count):
    size = transparency_log._store.head().size
    transparency_log.append([b"entry %d" % n for n in range(size, size + count)])
    return transparency_log.sign()


def _cosigners(signed, log_key, witnesses):
    keys = [notekeys.verifier_from_vkey(witness.vkey) for witness in witnesses.values()]
    verified = checkpoint.verify_checkpoint(
        signed, [log_key], origin=ORIGIN, witnesses=keys, quorum=0
    )
    names = {sig.name for sig in signed.note.signatures}
    return verified.size, sorted(name for name in names if name.startswith("witness."))


def test_each_witness_cosigns_and_later_gets_a_consistency_proof(log, witnesses):
    transparency_log, key = log
    requests = []
    client = witness_client(witnesses, spy=requests.append)
    cosigning = Cosigning(client, [_endpoint(host, w) for host, w in witnesses.items()])
    first = cosigning.cosign(_grow(transparency_log, 5), prove=transparency_log.prove_consistency)
    assert _cosigners(first, key, witnesses) == (5, [f"witness.test/w{n}" for n in range(3)])
    second = cosigning.cosign(
        _grow(transparency_log, 600), prove=transparency_log.prove_consistency
    )
    assert _cosigners(second, key, witnesses)[0] == 605
    assert len(second.note.signatures) == 4
    assert requests[-1].content.startswith(b"old 5\n")  # the size this witness cosigned
    assert len(requests) == 6  # no 409 round trips: sizes are remembered per witness
    again = cosigning.cosign(second, prove=transparency_log.prove_consistency)
    assert again.note.signatures == second.note.signatures  # cosignatures are not duplicated


def test_a_witness_that_knows_a_later_size_is_retried_once(log, witnesses):
    transparency_log, key = log
    one = {"w0.test": witnesses["w0.test"]}
    endpoint = _endpoint("w0.test", witnesses["w0.test"])
    earlier = Cosigning(witness_client(one), [endpoint])
    earlier.cosign(_grow(transparency_log, 40), prove=transparency_log.prove_consistency)
    requests = []
    restarted = Cosigning(witness_client(one, spy=requests.append), [endpoint])
    signed = restarted.cosign(_grow(transparency_log, 2), prove=transparency_log.prove_consistency)
    assert _cosigners(signed, key, one) == (42, ["witness.test/w0"])
    assert [request.content.split(b"\n")[0] for request in requests] == [b"old 0", b"old 40"]


def test_unreachable_and_misbehaving_witnesses_are_skipped(log, witnesses, caplog):
    transparency_log, key = log
    impostor = notekeys.Cosigner.generate("witness.test/w1")  # answers for w1 with another key
    endpoints = [
        _endpoint("w0.test", witnesses["w0.test"]),
        WitnessEndpoint("http://w1.test", impostor.verifier()),
        _endpoint("w2.test", witnesses["w2.test"]),
    ]
    client = witness_client(witnesses, down=["w2.test"])
    with caplog.at_level(logging.WARNING, logger="tradetrace.workflows.cosigning"):
        signed = Cosigning(client, endpoints).cosign(
            _grow(transparency_log, 3), prove=transparency_log.prove_consistency
        )
    assert _cosigners(signed, key, witnesses) == (3, ["witness.test/w0"])
    messages = " | ".join(record.getMessage() for record in caplog.records)
    assert "witness http://w1.test did not cosign: note has no signature by a known key" in messages
    assert "witness http://w2.test did not cosign: connection refused" in messages


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            httpx.Response(409, headers={"content-type": "text/x.tlog.size"}, text="99\n"),
            "beyond 3",
        ),
        (
            httpx.Response(409, headers={"content-type": "text/x.tlog.size"}, text="0\n"),
            "answered HTTP 409",
        ),
        (
            httpx.Response(409, headers={"content-type": "text/x.tlog.size"}, text="x\n"),
            "malformed witness size",
        ),
        (httpx.Response(409, text="1\n"), "answered HTTP 409"),
        (httpx.Response(500), "answered HTTP 500"),
        (httpx.Response(200, text="— witness.test/w0 AAAA"), "no final newline"),
        (httpx.Response(200, text="— x AAAAAAA=\n" * 101), "101 signature lines"),
    ],
)
def test_answers_outside_the_protocol_give_no_cosignature(log, witnesses, caplog, answer, message):
    transparency_log, _ = log
    client = httpx.Client(transport=httpx.MockTransport(lambda request: answer))
    cosigning = Cosigning(client, [_endpoint("w0.test", witnesses["w0.test"])])
    signed = _grow(transparency_log, 3)
    with caplog.at_level(logging.WARNING, logger="tradetrace.workflows.cosigning"):
        assert cosigning.cosign(signed, prove=transparency_log.prove_consistency) == signed
    assert message in caplog.records[-1].getMessage()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("w0.test=abc", r"expected URL=VKEY"),
        ("http://w0.test", r"expected URL=VKEY"),
        ("http://w0.test=nonsense", r"malformed vkey"),
    ],
)
def test_witness_setting_must_be_url_and_cosignature_vkey(value, message):
    with pytest.raises(ConfigurationError, match=message) as caught:
        WitnessEndpoint.from_setting(value)
    assert caught.value.code == "configuration_error"


def test_a_log_key_is_not_a_witness_key():
    log_key = notekeys.Ed25519Signer.generate(ORIGIN).verifier().vkey
    with pytest.raises(ConfigurationError, match=r"not a cosignature key") as caught:
        WitnessEndpoint.from_setting(f"https://w.test={log_key}")
    assert caught.value.code == "configuration_error"
    endpoint = WitnessEndpoint.from_setting(
        "https://w.test/prefix/=" + notekeys.Cosigner.generate("w").verifier().vkey
    )
    assert endpoint.url == "https://w.test/prefix"


def test_configured_witnesses_need_an_http_client(settings, engine):
    vkey = notekeys.Cosigner.generate("w").verifier().vkey
    configured = settings.model_copy(update={"witnesses": (f"http://w.test={vkey}",)})
    with pytest.raises(ConfigurationError, match=r"no HTTP client to reach them") as caught:
        setup.open_ledger(configured, engine, clock=lambda: FIXED_NOW)
    assert caught.value.code == "configuration_error"
    with httpx.Client() as http:
        ledger = setup.open_ledger(configured, engine, clock=lambda: FIXED_NOW, http=http)
    assert [w.url for w in ledger._cosigning.witnesses] == ["http://w.test"]
