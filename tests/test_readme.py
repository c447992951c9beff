"""README.md's commands, run as written in a fresh clone, so that the README cannot drift (issue 18).

Which blocks run: every ```sh block of README.md, in the README's order, each with `bash -e` in the
clone's folder and an environment like a newcomer's shell (no DJANGO_*, DATABASE_URL, REDIS_URL: the
settings come from the .env that `make setup` wrote). A block that must not run here is preceded by

    <!-- readme-test: skip: REASON -->

saying why (it serves until stopped, asks for a password, needs a production host, ...); the test
reports it as skipped with that reason. Blocks in other languages (```json, ```cron) never run.

The clone holds the working tree's tracked files as they are, committed or not (`git stash create`),
so a file left out of git fails here as it would for a newcomer. The project's .venv is linked in
(installing it is `make test`'s step), and the UN's published files lie beside it as ../shared/data,
where the README's paths expect them. Then: `make setup` twice, every README block, and `make run`.
Those tests are marked `readme`; the check that every manage.py command is written as it runs is not.

    .venv/bin/pytest -m readme tests/test_readme.py -p no:xdist      # about 2 minutes; .ci/run does
"""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import REPO, shared_data

FENCE = re.compile(r"^```(\S*)\s*$")
SKIP = re.compile(r"^<!-- readme-test: skip: (.+?) -->$")


def readme_blocks(text):
    """(first line number, language, code, reason to skip or None) for every fenced block."""
    blocks, lines = [], text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        before = next((line for line in reversed(lines[:index]) if line.strip()), "")
        skip = SKIP.match(before.strip())
        code = "\n".join(lines[index + 1 : end]) + "\n"
        blocks.append((index + 2, opening.group(1), code, skip.group(1) if skip else None))
        index = end + 1
    return blocks


SHELL_BLOCKS = [block for block in readme_blocks((REPO / "README.md").read_text()) if block[1] == "sh"]


def newcomer_env(**extra):
    """A shell's environment as a new user has it: nothing of the project's settings exported."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TERM", "TMPDIR", "USER", "LOGNAME", "SHELL")
    return {**{name: os.environ[name] for name in keep if name in os.environ}, **extra}


def sh(clone, command, timeout=600, **env):
    return subprocess.run(
        ["bash", "-e", "-c", command],
        cwd=clone,
        env=newcomer_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if not shared_data().is_dir():
        pytest.skip(f"{shared_data()} is absent: the README's import examples read the UN's files there")
    root = tmp_path_factory.mktemp("newcomer")
    snapshot = subprocess.run(
        ["git", "stash", "create"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    revision = snapshot or "HEAD"
    sha = subprocess.run(
        ["git", "rev-parse", revision], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(root / "tracker")], check=True)
    subprocess.run(["git", "checkout", "-q", sha], cwd=root / "tracker", check=True)
    clone = root / "tracker"
    (clone / ".venv").symlink_to((REPO / ".venv").resolve())
    # The linked .venv is installed: make is not to reinstall it because the clone's files are newer.
    for requirements in clone.glob("requirements*.txt"):
        os.utime(requirements, (0, 0))
    (root / "shared").mkdir()
    (root / "shared" / "data").symlink_to(shared_data().resolve())
    return clone


@pytest.fixture(scope="module")
def first_setup(clone):
    started = time.monotonic()
    result = sh(clone, "make setup")
    return result, time.monotonic() - started


@pytest.mark.readme
def test_the_first_make_setup_writes_the_env_file_and_loads_the_seed(clone, first_setup):
    result, _ = first_setup

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Wrote .env: a new secret key" in result.stdout and "imported A/RES/77/273" in result.stdout
    settings = dict(
        line.split("=", 1) for line in (clone / ".env").read_text().splitlines() if not line.startswith("#")
    )
    assert len(settings["DJANGO_SECRET_KEY"]) >= 50
    assert settings["DJANGO_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert (clone / "staticfiles" / "staticfiles.json").is_file()


@pytest.mark.readme
def test_a_second_make_setup_collects_no_static_file_and_finds_the_data_unchanged(clone, first_setup):
    started = time.monotonic()
    second = sh(clone, "make setup")
    took = time.monotonic() - started

    assert second.returncode == 0, second.stdout + second.stderr
    assert "collectstatic" not in second.stdout and "pip install" not in second.stdout
    assert "A_RES_77_273.md: unchanged A/RES/77/273" in second.stdout
    print(f"make setup: first {first_setup[1]:.1f} s, second {took:.1f} s")

    (clone / "static" / "css").mkdir(parents=True, exist_ok=True)
    (clone / "static" / "css" / "readme-test.css").write_text("p { margin: 0 }\n")
    third = sh(clone, "make setup")
    assert "collectstatic" in third.stdout, third.stdout + third.stderr
    assert "readme-test" in (clone / "staticfiles" / "staticfiles.json").read_text()


@pytest.mark.readme
@pytest.mark.parametrize(
    ("line", "code", "skip"),
    [(line, code, skip) for line, _, code, skip in SHELL_BLOCKS],
    ids=[f"README.md:{line}" for line, *_ in SHELL_BLOCKS],
)
def test_a_readme_block_runs_as_written(clone, first_setup, line, code, skip):
    if skip:
        pytest.skip(f"README.md line {line}: {skip}")
    assert first_setup[0].returncode == 0, "make setup failed"

    result = sh(clone, code)

    assert result.returncode == 0, f"README.md line {line}:\n{code}\n{result.stdout[-3000:]}{result.stderr}"


def test_every_manage_py_command_in_the_readme_is_written_as_it_runs():
    """Also in make test (no clone needed): inline commands too, which no block runs."""
    text = (REPO / "README.md").read_text()

    commands = re.findall(r"(.{0,17})manage\.py +[a-z_]+", text)
    assert len(commands) > 20
    assert [before for before in commands if not before.endswith(".venv/bin/python ")] == []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine_address():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # sends nothing: the address the default route leaves by
        return probe.getsockname()[0]


def get(url, host=None):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.readme
def test_make_run_on_every_address_serves_the_machines_own_address(clone, first_setup):
    port, address = free_port(), machine_address()
    log = clone / "make-run.log"
    started = time.monotonic()
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "run"],
            cwd=clone,
            env=newcomer_env(HOST="0.0.0.0", PORT=str(port)),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ready = None
        while time.monotonic() - started < 120 and server.poll() is None:
            try:
                status, page = get(f"http://{address}:{port}/")
            except OSError:
                time.sleep(0.1)
                continue
            ready = time.monotonic() - started
            break
        assert ready is not None, log.read_text()
        print(
            f"make run (second run of the clone): first page at http://{address}:{port}/ after {ready:.1f} s"
        )
        assert status == 200 and "A/RES/77/273" in page

        refused, _ = get(f"http://127.0.0.1:{port}/notes/", host="intruder.example")
        assert refused == 400
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    printed = log.read_text()
    assert "DJANGO_ALLOWED_HOSTS" in printed  # make run says which variable takes another name
    about_intruder = [line for line in printed.splitlines() if "intruder.example" in line]
    assert len(about_intruder) == 1 and "WARNING tracker.requests GET /notes/ 400" in about_intruder[0]
    assert "Traceback" not in printed
