"""Known-answer vectors for the Fiat-Shamir transcript of docs/protocol.md section 4, computed with
Python's hashlib (independent of the Swift code). Standard library only; run from the repository root:

    python3 bench/vectors/generate_transcript.py > Tests/TranscriptTests/Vectors/transcript.json

Each case is a list of operations; "absorb" data is hex, "squeeze" records the expected challenge as a
decimal string and the expected 32-byte state after it."""
import hashlib
import json

R = 21888242871839275222246405745257275088548364400416034343698204186575808495617


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(8, "little") + data


class Transcript:
    def __init__(self):
        self.buf = lp(b"ZKInfer-PLONK-logUp-KZG-BN254") + lp(b"v1")

    def absorb(self, label: str, data: bytes):
        self.buf += lp(label.encode()) + lp(data)

    def squeeze(self, label: str):
        self.buf += lp(label.encode())
        s = hashlib.sha256(self.buf).digest()
        self.buf = s
        wide = hashlib.sha256(s + b"\x00").digest() + hashlib.sha256(s + b"\x01").digest()
        return int.from_bytes(wide, "little") % R, s


def scalar(v: int) -> bytes:
    return (v % R).to_bytes(32, "little")


# The BN254 G1 generator (1, 2), compressed: x little-endian, y = 2 is even so no flag bit.
G1_GENERATOR = (1).to_bytes(32, "little")
# The point at infinity, compressed.
G1_INFINITY = bytes(31) + b"\x80"


def run(ops):
    t = Transcript()
    out = []
    for op in ops:
        if op[0] == "absorb":
            t.absorb(op[1], op[2])
            out.append({"op": "absorb", "label": op[1], "data": op[2].hex()})
        else:
            c, s = t.squeeze(op[1])
            out.append({"op": "squeeze", "label": op[1], "challenge": str(c), "state": s.hex()})
    return out


cases = {
    "squeeze_only": [("squeeze", "alpha"), ("squeeze", "alpha"), ("squeeze", "")],
    "rounds": [
        ("absorb", "vk", bytes(range(32))),
        ("absorb", "instance", scalar(7) + scalar(R - 3)),
        ("absorb", "instance", b""),
        ("absorb", "advice", G1_GENERATOR),
        ("absorb", "advice", G1_INFINITY),
        ("squeeze", "challenge"),
        ("squeeze", "theta"),
        ("absorb", "multiplicity", G1_GENERATOR),
        ("squeeze", "beta"),
        ("squeeze", "gamma"),
        ("absorb", "eval", scalar(2**255 % R)),
        ("absorb", "eval", scalar(0)),
        ("squeeze", "v"),
    ],
    "long_data": [("absorb", "x" * 300, bytes(i % 251 for i in range(5000))), ("squeeze", "zeta")],
}

print(json.dumps({"generator": "bench/vectors/generate_transcript.py",
                  "cases": {name: run(ops) for name, ops in cases.items()}}, indent=1))
