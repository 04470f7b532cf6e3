"""The supply-chain check (`make lint` runs it over the locks) fails on a known vulnerability.

It asks PyPI (the same registry the installs come from): pycrypto 2.6.1 is its last release and
carries published advisories (CVE-2013-7459, CVE-2018-6594) that will never be fixed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VULNERABLE_PIN = (
    "pycrypto==2.6.1 \\\n"
    "    --hash=sha256:f2ce1e989b272cfcb677616763e0a2e7ec659effa67a88aa92b3a65528f60a3c\n"
)


def _check(*locks: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tests.deploy.vulnerabilities", *map(str, locks)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_a_pin_with_a_known_vulnerability_fails_the_check(tmp_path: Path) -> None:
    lock = tmp_path / "vulnerable.lock"
    lock.write_text(VULNERABLE_PIN)
    done = _check(lock)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "VULNERABLE pycrypto==2.6.1: PYSEC-2017-94" in done.stdout
    assert "1 of 1 pins checked" in done.stdout
