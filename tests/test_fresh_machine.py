"""`make test` on a machine that has only Python 3.11 and make: the Makefile's Chromium check
(scripts/ensure-chromium) installs Debian's package when it can, and otherwise stops with one line
that says what to install. Each test runs the real make target with fake `id` and `apt-get`
commands and a CHROMIUM path in a temporary folder, so nothing is installed."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
BASH = shutil.which("bash")
CHMOD = shutil.which("chmod")


class Machine:
    """A PATH holding only bash and the fakes, and a Chromium path that exists or not."""

    def __init__(self, folder: Path, *, uid: int, apt_get: bool = True, apt_installs: bool = True):
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.chromium = folder / "chromium"
        self.apt_log = folder / "apt-get.log"
        (self.bin / "bash").symlink_to(BASH)
        self._script("id", f"echo {uid}")
        if apt_get:
            install = f'printf "#!/bin/sh\\n" > "$CHROMIUM"; {CHMOD} +x "$CHROMIUM"' if apt_installs else ":"
            self._script("apt-get", f'echo "$*" >> {self.apt_log}\nif [ "$1" = install ]; then {install}; fi')

    def _script(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n")
        path.chmod(0o755)

    def has_chromium(self) -> None:
        self.chromium.write_text("#!/bin/sh\n")
        self.chromium.chmod(0o755)

    def make(self, target: str = "chromium") -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - make, with fixed arguments
            [MAKE, "--no-print-directory", "-s", "-C", str(ROOT), target],
            env={"PATH": str(self.bin), "CHROMIUM": str(self.chromium)},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []


def own_lines(output: str) -> list[str]:
    """The check's own lines, without make's closing "make: *** [...] Error 1"."""
    return [line for line in output.splitlines() if not line.startswith("make: ***")]


def test_make_test_checks_chromium_before_installing_anything():
    dry_run = subprocess.run(  # noqa: S603 - make, with fixed arguments
        [MAKE, "-n", "-C", str(ROOT), "--no-print-directory", "test"],
        env={"PATH": str(Path(BASH).parent)},  # nothing of an outer make (MAKEFLAGS) leaks in
        capture_output=True,
        text=True,
    )
    assert dry_run.stdout.splitlines()[0] == "bash scripts/ensure-chromium"


def test_a_machine_with_chromium_goes_straight_on(tmp_path):
    machine = Machine(tmp_path, uid=0)
    machine.has_chromium()
    result = machine.make()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert machine.apt_calls() == []


def test_as_root_with_apt_get_it_installs_debians_chromium(tmp_path):
    machine = Machine(tmp_path, uid=0)
    result = machine.make()
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls() == ["update -qq", "install -y -qq chromium fonts-dejavu-core"]
    assert machine.chromium.exists()


def test_without_root_it_stops_with_one_line_saying_what_to_install(tmp_path):
    machine = Machine(tmp_path, uid=1000)
    result = machine.make()
    assert result.returncode != 0
    assert own_lines(result.stderr) == [
        f"The browser tests need Chromium at {machine.chromium}: "
        "install it (Debian/Ubuntu: sudo apt-get install -y chromium), then run make test again."
    ]
    assert result.stdout == "" and machine.apt_calls() == []


def test_as_root_without_apt_get_it_stops_with_the_same_line(tmp_path):
    machine = Machine(tmp_path, uid=0, apt_get=False)
    result = machine.make()
    assert result.returncode != 0
    assert len(own_lines(result.stderr)) == 1 and "apt-get install -y chromium" in result.stderr


def test_an_install_that_leaves_no_chromium_stops_with_the_same_line(tmp_path):
    machine = Machine(tmp_path, uid=0, apt_installs=False)
    result = machine.make()
    assert result.returncode != 0
    assert machine.apt_calls()[-1] == "install -y -qq chromium fonts-dejavu-core"
    assert len(own_lines(result.stderr)) == 1 and "apt-get install -y chromium" in result.stderr
