"""Batches as CI runs them: a plan of jobs, parallel workers, shards, a manifest, --check,
--keep-going and output names — and the same bytes whatever the split."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from pathlib import Path

import pytest
from click.testing import CliRunner

from infogen.batch import Job, plan, shard
from infogen.cli import main

from conftest import ROOT

ARGS = ["--lang", "en,nl", "--layout", "default,social", "--format", "pdf,svg", "-q"]


def render(out: Path, *extra: str, project: Path = ROOT):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["render", *ARGS, "--out", str(out), "--project", str(project), *extra])


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()} if directory.exists() else {}


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_shards_partition_the_plan_exactly_and_in_plan_order(n):
    jobs = plan(["default", "handout", "social"], ["en", "nl", "de", "ar"], ["pdf", "svg", "png"])
    slices = [shard(jobs, k, n) for k in range(1, n + 1)]
    ids = [job.id for s in slices for job in s]
    assert sorted(ids) == sorted(job.id for job in jobs) and len(ids) == len(set(ids))
    for s in slices:
        assert s == [job for job in jobs if job in s]  # each slice keeps the plan's order
    weights = [sum(job.weight for job in s) for s in slices]
    assert max(weights) - min(weights) <= max(job.weight for job in jobs)  # balanced


def test_job_ids_are_stable():
    assert Job("social", "nl", "png").id == "social/nl/png"


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("serial")
    result = render(out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return files(out)


def test_the_same_bytes_with_one_or_two_workers(serial, tmp_path):
    assert render(tmp_path, "--jobs", "2").exit_code == 0
    assert files(tmp_path) == serial
    assert len(serial) == 2 * 2 * 2 + 1  # layouts × languages × formats, and the manifest


def test_the_manifest_describes_the_files_on_disk(serial):
    document = json.loads(serial["manifest.json"])
    assert document["format"] == 1 and document["failures"] == []
    assert [a["id"] for a in document["artifacts"]] == [
        f"{layout}/{lang}/{fmt}"
        for layout in ("default", "social")
        for lang in ("en", "nl")
        for fmt in ("pdf", "svg")
    ]
    for artifact in document["artifacts"]:
        data = serial[artifact["path"]]
        assert artifact["bytes"] == len(data) and artifact["sha256"] == hashlib.sha256(data).hexdigest()
        assert artifact["pages"] == 1 and artifact["options"]["colour"] == "rgb"
        (fit,) = artifact["fit"]  # one grid in each of these layouts
        assert fit["grid"] == "body[2]" and len(fit["panels"]) == 10
        assert fit["smallest_size"] <= fit["largest_size"] <= fit["designed_size"]
    social = next(a for a in document["artifacts"] if a["layout"] == "social")
    assert social["options"]["paper"] == "810x810pt" or social["options"]["paper"].endswith("mm")


def test_three_shards_make_the_same_files_and_merge_into_the_same_manifest(serial, tmp_path):
    parts = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard-{k}"
        assert render(out, "--shard", f"{k}/3").exit_code == 0
        parts.append(out / "manifest.json")
    union: dict[str, bytes] = {}
    for k in (1, 2, 3):
        union |= {
            name: data for name, data in files(tmp_path / f"shard-{k}").items() if name != "manifest.json"
        }
    assert union == {name: data for name, data in serial.items() if name != "manifest.json"}
    merged = tmp_path / "manifest.json"
    result = CliRunner().invoke(main, ["manifest", "merge", *map(str, parts), "--out", str(merged)])
    assert result.exit_code == 0, result.output
    assert merged.read_bytes() == serial["manifest.json"]  # the very manifest of the unsharded run


def test_check_writes_nothing(tmp_path):
    result = render(tmp_path / "out", "--check")
    assert result.exit_code == 0, result.output
    assert "8 of 8 artifacts checked, 0 failed, 0 files written" in result.output
    assert not (tmp_path / "out").exists()


def break_language(project: Path, lang: str) -> None:
    strings = project / "data" / "lang" / f"{lang}.yaml"
    strings.write_text(strings.read_text().replace("heading:", "heading: [", 1))


def test_one_broken_language_fails_only_its_artifacts_with_keep_going(project_copy, tmp_path):
    break_language(project_copy, "nl")
    out = tmp_path / "out"
    result = render(out, "--keep-going", project=project_copy)
    assert result.exit_code == 1, result.output
    assert "data/lang/nl.yaml" in result.output and "4 of 8 artifacts rendered, 4 failed" in result.output
    written = files(out)
    assert sorted(written) == [
        "default-en.pdf",
        "default-en.svg",
        "manifest.json",
        "social-en.pdf",
        "social-en.svg",
    ]
    document = json.loads(written["manifest.json"])
    assert [f["id"] for f in document["failures"]] == [
        "default/nl/pdf",
        "default/nl/svg",
        "social/nl/pdf",
        "social/nl/svg",
    ]
    assert all("invalid YAML" in f["problems"][0] for f in document["failures"])


def test_without_keep_going_nothing_is_written_and_every_problem_is_reported(project_copy, tmp_path):
    break_language(project_copy, "nl")
    break_language(project_copy, "en")
    out = tmp_path / "out"
    result = render(out, project=project_copy)
    assert result.exit_code == 2
    assert "data/lang/nl.yaml" in result.output and "data/lang/en.yaml" in result.output
    assert result.output.count("data/lang/nl.yaml") == 1  # once, not once per artifact
    assert not out.exists()


def test_a_name_template_keeps_runs_on_other_paper_apart(tmp_path):
    common = [
        "render",
        "--lang",
        "nl",
        "--format",
        "pdf",
        "-q",
        "--out",
        str(tmp_path),
        "--project",
        str(ROOT),
    ]
    template = ["--name", "{layout}-{lang}-{paper}-{orientation}.{ext}"]
    assert CliRunner().invoke(main, [*common, *template]).exit_code == 0
    assert CliRunner().invoke(main, [*common, *template, "--paper", "A4", "--landscape"]).exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf")
    assert names == ["default-nl-A3-portrait.pdf", "default-nl-A4-landscape.pdf"]


def test_names_that_collide_are_refused(tmp_path):
    result = render(tmp_path / "out", "--name", "{layout}.{ext}")
    assert result.exit_code == 2 and "would both be written to default.pdf" in result.output
    bad = render(tmp_path / "out", "--name", "../{layout}.{ext}")
    assert bad.exit_code == 2 and "not a plain file name" in bad.output
    unknown = render(tmp_path / "out", "--name", "{layot}.{ext}")
    assert unknown.exit_code == 2 and "is not valid" in unknown.output
    assert not (tmp_path / "out").exists()


def test_plan_lists_the_jobs_with_ids_weights_and_shards():
    result = CliRunner().invoke(
        main,
        [
            "plan",
            "--lang",
            "all",
            "--layout",
            "all",
            "--format",
            "all",
            "--shards",
            "4",
            "--json",
            "--project",
            str(ROOT),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    jobs = document["jobs"]
    assert len(jobs) == len({j["id"] for j in jobs}) == 4 * 6 * 3
    assert {j["shard"] for j in jobs} == {1, 2, 3, 4} and document["shards"] == [1, 2, 3, 4]
    assert all(j["weight"] > 0 for j in jobs)


def test_the_github_workflow_parses_and_calls_commands_that_exist():
    import re
    import shlex

    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "render.yml").read_text())
    jobs = workflow["jobs"]
    assert set(jobs) == {"plan", "render", "merge"}
    assert jobs["render"]["needs"] == "plan" and jobs["merge"]["needs"] == "render"
    assert "fromJSON(needs.plan.outputs.shards)" in jobs["render"]["strategy"]["matrix"]["shard"]
    makefile = (ROOT / "Makefile").read_text()
    commands = set(main.commands)
    scripts = {p.name for p in (ROOT / "scripts").iterdir()}
    calls = 0
    for job in jobs.values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                for part in re.split(r"&&|\||>>?", line):
                    words = shlex.split(part.replace("$(", " ").replace(")", " ")) if part.strip() else []
                    words = [w for w in words if w != "sudo"]
                    if not words:
                        continue
                    if words[0] == "make":
                        assert re.search(rf"^{words[1]}:", makefile, re.M), words
                        calls += 1
                    elif words[0].endswith("infogen"):
                        assert words[1] in commands
                        sub = main.commands[words[1]]
                        args = words[2:]
                        if words[1] == "manifest":
                            assert args[0] in sub.commands  # type: ignore[attr-defined]
                            sub, args = sub.commands[args[0]], args[1:]  # type: ignore[attr-defined]
                        # The options as the runner expands them parse (nothing is run).
                        expanded = " ".join(args).replace("$SELECT", workflow["env"]["SELECT"])
                        expanded = re.sub(r"\$\{\{ matrix.shard \}\}", "1", expanded).replace("$SHARDS", "4")
                        expanded = expanded.replace('"', "").replace(
                            "shards/*/manifest.json", str(ROOT / "README.md")
                        )
                        sub.make_context(words[1], shlex.split(expanded))
                        calls += 1
                    elif words[0].startswith("scripts/"):
                        assert words[0].removeprefix("scripts/") in scripts, words
                        calls += 1
    assert calls >= 8


def test_ctrl_c_stops_a_parallel_batch_and_says_nothing_was_written(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "infogen", "render", "--layout", "all", "--lang", "all", "--format", "all",
           "--jobs", "2", "-q", "--out", str(out), "--project", str(ROOT)]  # fmt: skip
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the first artifact is done: the workers are busy
    assert first.startswith("ok"), first
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    started = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - started < 20  # promptly
    assert proc.returncode == 130 and "interrupted: no file was written" in err
    assert "Traceback" not in err
    assert not out.exists() or not [p for p in out.iterdir()]


def test_a_wheel_installs_a_working_infogen_that_writes_and_renders_a_starter_project(tmp_path):
    """`pip install .` as a CI image would: a real wheel (not this checkout), whose
    `infogen init` writes the shipped project and whose `render` renders it."""
    import shutil
    import subprocess
    import sys
    import sysconfig

    source = tmp_path / "source"  # built from a copy: the checkout is left as it is
    skip = shutil.ignore_patterns(".venv", "out", "build", ".git", "*.egg-info", "__pycache__", ".*_cache")
    shutil.copytree(ROOT, source, symlinks=True, ignore=skip)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(wheels)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    target = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    wheel = next(wheels.glob("infogen-*.whl"))
    # Install the wheel alone (its dependencies are this environment's, put on the path below).
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    python = str(venv / "bin" / "python")
    where = subprocess.run([python, "-c", "import infogen; print(infogen.__file__)"],
                           env=env, capture_output=True, text=True, check=True)  # fmt: skip
    assert str(target) in where.stdout  # the wheel's copy, not this checkout
    project = tmp_path / "project"
    init = subprocess.run(
        [python, "-m", "infogen", "init", str(project)], env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    assert (project / "data" / "lang" / "nl.yaml").read_bytes() == (
        ROOT / "data" / "lang" / "nl.yaml"
    ).read_bytes()
    assert sorted(p.name for p in (project / "layouts").iterdir()) == sorted(
        p.name for p in (ROOT / "layouts").iterdir()
    )
    out = tmp_path / "out"
    render = subprocess.run(
        [python, "-m", "infogen", "render", "--project", str(project), "--lang", "nl", "--layout", "social",
         "--format", "png", "-q", "--out", str(out)], env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert render.returncode == 0, render.stderr
    assert (out / "social-nl.png").stat().st_size > 10_000
    # The optional step the README gives for installs: the dataclass methods' bytecode,
    # written beside the installed package and used by the next start.
    compiled = subprocess.run([python, "-c", "import infogen.precompiled as p; p.main()"],
                              env=env, capture_output=True, text=True)  # fmt: skip
    assert compiled.returncode == 0 and str(target) in compiled.stdout, compiled.stderr
    misses = subprocess.run([python, "-c", "import infogen.api, infogen.cli; print(infogen.precompiled.misses)"],
                            env=env, capture_output=True, text=True, check=True)  # fmt: skip
    assert misses.stdout.strip() == "0"


def test_a_killed_worker_fails_the_batch_clearly_and_writes_nothing(tmp_path):
    import signal
    import subprocess
    import sys

    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.pdf").write_bytes(b"%PDF-earlier")
    cmd = [sys.executable, "-m", "infogen", "render", "--layout", "all", "--lang", "all", "--format", "all",
           "--jobs", "2", "-q", "--out", str(out), "--project", str(ROOT)]  # fmt: skip
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("ok")  # the workers are running
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert children
    for child in children:  # the workers (and any helper process of the pool)
        os.kill(int(child), signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "a worker process ended before its jobs were done" in err
    assert "killed by signal 9" in err
    assert "Traceback" not in err and "internal error" not in err
    assert sorted(p.name for p in out.iterdir()) == ["earlier.pdf"]  # nothing new, nothing left over


def test_workers_end_when_the_batch_is_killed_outright(tmp_path):
    """A batch killed with SIGKILL (a CI job's timeout) leaves no worker behind: each
    watches its parent, since the pipe's end it holds never reports the parent gone."""
    import signal
    import subprocess
    import sys
    import time

    cmd = [sys.executable, "-m", "infogen", "render", "--layout", "all", "--lang", "all", "--format", "all",
           "--jobs", "2", "-q", "--out", str(tmp_path / "out"), "--project", str(ROOT)]  # fmt: skip
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the spool a killed batch leaves behind
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("ok")  # the workers are running
    children = [int(c) for c in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    assert children
    proc.kill()
    proc.wait()

    def running(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
        except (OSError, IndexError):
            return False
        return state != "Z"

    deadline = time.monotonic() + 20
    while any(map(running, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in children if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left


def test_setup_mistakes_are_found_before_anything_is_rendered(project_copy, tmp_path):
    (project_copy / "layouts" / "flat.yaml").write_text("extends: layouts/default.yaml\npage: A3\n")
    result = render(tmp_path / "a", "--layout", "flat", project=project_copy)
    assert result.exit_code == 2 and "layouts/flat.yaml:2:7: error: page: expected a mapping" in result.output
    assert "internal error" not in result.output and "ok " not in result.output  # nothing rendered first
    missing = CliRunner().invoke(main, ["plan", "--lang", "xx", "--layout", "nope", "--project", str(ROOT)])
    assert (
        missing.exit_code == 2
        and "unknown layout 'nope'" in missing.output
        and "unknown language 'xx'" in missing.output
    )
    no_ext = render(tmp_path / "b", "--name", "{layout}-{lang}")
    assert no_ext.exit_code == 2 and "has no {ext}" in no_ext.output
    blocked = tmp_path / "file"
    blocked.write_text("")
    unwritable = render(blocked / "out")
    assert unwritable.exit_code == 2 and "cannot create the output directory" in unwritable.output
    assert "ok " not in unwritable.output
    profile = project_copy / "layouts" / "print.yaml"
    profile.write_text(
        profile.read_text().replace(
            "  standard: pdf/x-4\n", "  standard: pdf/x-4\n  output_profile: profiles/none.icc\n"
        )
    )
    no_profile = render(tmp_path / "c", "--layout", "default,print", project=project_copy)
    assert no_profile.exit_code == 2 and "none.icc is not found" in no_profile.output
    assert "layouts/print.yaml:" in no_profile.output and ": error: pdf.output_profile" in no_profile.output
    assert "ok " not in no_profile.output  # found before the default layout's artifacts were made


def test_a_workers_spooled_artifacts_never_share_a_file(tmp_path, monkeypatch):
    """A worker leaves each artifact's bytes in a file of its own until the parent reads
    them, which may be after the worker has rendered later groups: every file name is
    unique in the batch (a name from the group list's id() was reused by the next group)."""
    from infogen import batch

    monkeypatch.setattr(batch, "_renderer", batch.Request(ROOT).renderer())
    group = [Job("social", "en", "svg")]
    first = batch._render_group_spooled(group, tmp_path)
    group[0] = Job("social", "nl", "svg")  # the next group in the same list: the same id()
    second = batch._render_group_spooled(group, tmp_path)
    assert first[0].spooled["data"] != second[0].spooled["data"]
    en, nl = batch._unspool(first[0]).data, batch._unspool(second[0]).data
    assert en is not None and nl is not None
    assert b'lang="en"' in en and b'lang="nl"' in nl


def _failing_group(group):  # type: ignore[no-untyped-def]
    """A worker's group that fails with a bug after the others have written big files."""
    import time

    from infogen.batch import Result

    if group[0].lang == "l0":
        time.sleep(0.2)
        raise RuntimeError("a bug")
    return [Result(job, b"x" * 5_000_000) for job in group]


def test_a_failing_worker_leaves_no_spool_directory(tmp_path, monkeypatch):
    """The spool directory is removed only after every worker has stopped, on every way
    out of the batch: a worker still writing would otherwise leave it behind."""
    import tempfile

    from infogen import batch

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(batch, "_render_group", _failing_group)  # forked workers inherit it
    jobs = [Job("x", f"l{i}", fmt) for i in range(12) for fmt in ("pdf", "png")]
    with pytest.raises(RuntimeError, match="a bug"):
        batch.run(batch.Request(ROOT), jobs, 3, lambda r: None, renderer=object())
    assert list(tmp_path.iterdir()) == []


def test_a_worker_that_cannot_write_its_artifacts_fails_the_batch_clearly(tmp_path, monkeypatch):
    import tempfile

    from infogen import batch
    from infogen.diagnostics import InfogenError

    gone = tmp_path / "gone"  # the spool directory vanished (a full or cleaned-up TMPDIR)
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: str(gone))
    monkeypatch.setattr(batch, "_render_group", _failing_group)
    jobs = [Job("x", f"l{i}", "pdf") for i in range(1, 5)]
    with pytest.raises(InfogenError) as raised:
        batch.run(batch.Request(ROOT), jobs, 2, lambda r: None, renderer=object())
    message = str(raised.value)
    assert "could not write its artifacts" in message and "TMPDIR" in message


def test_a_killed_batch_leaves_no_spool_directory_for_long(tmp_path, monkeypatch):
    """A batch killed outright (SIGKILL) cannot remove its spool directory; the next
    parallel batch removes it (its process gone, and untouched for an hour unless made in
    this PID namespace), and leaves a running one's, a recent one of another namespace and
    names that are not its own alone."""
    import subprocess
    import tempfile
    import time

    from infogen import batch

    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f"{batch.SPOOL}{gone.pid}-abc"
    live = tmp_path / f"{batch.SPOOL}{os.getpid()}-def"
    other = tmp_path / f"{batch.SPOOL}not-a-pid"
    huge = tmp_path / f"{batch.SPOOL}{10**20}-x"  # os.kill cannot even be asked about it
    recent = tmp_path / f"{batch.SPOOL}{gone.pid}-recent"  # maybe a process this one cannot see
    # Recent too, but made in this PID namespace (owner_tag): its process is surely gone.
    namespace = batch.owner_tag().split("-")[1]
    ours_gone = tmp_path / f"{batch.SPOOL}{gone.pid}-{namespace}-new"
    hours_ago = time.time() - 2 * batch.STALE_AFTER_SECONDS
    for directory in (stale, live, other, huge, recent, ours_gone):
        directory.mkdir()
        (directory / "1.data").write_bytes(b"x")
        if directory not in (recent, ours_gone):
            os.utime(directory, (hours_ago, hours_ago))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(batch, "_render_group", _failing_group)  # l1, l2: no failure
    jobs = [Job("x", f"l{i}", "pdf") for i in range(1, 3)]
    results = batch.run(batch.Request(ROOT), jobs, 2, lambda r: None, renderer=object())
    assert all(r.ok for r in results)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(d.name for d in (live, other, huge, recent))


def test_each_language_goes_to_one_worker_heaviest_first():
    from infogen.batch import share_out

    langs = ["en", "en", "nl", "de", "de", "de", "ja", "nl"]
    weights = [4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 8.0, 4.0]  # de 12, ja 8, en 8, nl 8
    queues = share_out(langs, weights, 2)
    assert sorted(i for q in queues for i in q) == list(range(len(langs)))  # each task once
    owners = {lang: {w for w, q in enumerate(queues) for i in q if langs[i] == lang} for lang in langs}
    assert all(len(found) == 1 for found in owners.values())  # a language in one queue
    # de (12) first, to worker 0; en, nl, ja (8 each, in the order first seen) to the lightest
    assert owners == {"de": {0}, "en": {1}, "nl": {1}, "ja": {0}}
    assert [sum(weights[i] for i in q) for q in queues] == [20.0, 16.0]
    assert list(queues[1]) == [0, 1, 2, 7]  # by language, then in plan order
    assert share_out(langs, weights, 1) == [deque([0, 1, 2, 7, 3, 4, 5, 6])]


def test_a_free_worker_takes_its_own_next_then_the_last_of_the_busiest():
    from infogen.pool import next_task

    weights = [1.0, 1.0, 1.0, 1.0, 5.0, 1.0]
    queues = [deque([0, 1]), deque([2, 3]), deque([4, 5])]
    assert next_task(queues, 0, weights) == 0 and next_task(queues, 0, weights) == 1
    assert next_task(queues, 0, weights) == 5  # queue 2 has the most left: its last
    assert next_task(queues, 0, weights) == 4
    assert next_task(queues, 2, weights) == 3 and next_task(queues, 2, weights) == 2
    assert next_task(queues, 1, weights) is None and not any(queues)


def _nothing() -> None:
    pass


def _pid_and_square(n: int) -> tuple[int, int]:
    if n == 13:
        raise ValueError("thirteen")
    return os.getpid(), n * n


def test_a_pool_answers_every_task_and_hands_back_a_workers_error():
    from infogen.batch import share_out
    from infogen.pool import Pool, RemoteTraceback

    pool = Pool(2, _nothing, (), _pid_and_square)
    try:
        tasks = list(range(10))
        answers = dict(pool.run(tasks, share_out([n % 3 for n in tasks], [1.0] * 10, 2), [1.0] * 10))
        assert sorted(answers) == tasks and all(answers[n][1] == n * n for n in tasks)
        assert (
            len({pid for pid, _ in answers.values()} - {os.getpid()}) == 2
        )  # both workers, not this process
        with pytest.raises(ValueError, match="thirteen") as raised:
            dict(pool.run([12, 13], share_out(["a", "b"], [1.0, 1.0], 2), [1.0, 1.0]))
        assert isinstance(raised.value.__cause__, RemoteTraceback)
        assert "_pid_and_square" in str(raised.value.__cause__)
    finally:
        pool.close()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_artifact_is_stored_as_it_comes_and_none_is_kept_in_memory(tmp_path, monkeypatch, jobs):
    """The CLI puts every artifact into the staging directory the moment it arrives and
    keeps only its size and hash: a batch holds one artifact's bytes at a time."""
    from infogen import batch, staging

    stored: list[tuple[str, set[str]]] = []  # (name, what the staging directory held before)
    put = staging.Staging.put

    def watching_put(self, name, data):  # type: ignore[no-untyped-def]
        stored.append((name, {p.name for p in self.directory.iterdir()}))
        put(self, name, data)

    monkeypatch.setattr(staging.Staging, "put", watching_put)
    kept: list[batch.Result] = []
    run = batch.run

    def recording_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        results = run(*args, **kwargs)
        kept.extend(results)
        return results

    monkeypatch.setattr(batch, "run", recording_run)
    out = tmp_path / "out"
    result = render(out, "--jobs", jobs)
    assert result.exit_code == 0, result.output
    names = [name for name, _ in stored]
    assert names[-1] == "manifest.json" and len(names) == 9
    for n, (_, before) in enumerate(stored):
        assert before == set(names[:n])  # one by one, each on disk before the next comes
    assert all(r.ok and r.data == b"" and r.size > 0 for r in kept)  # no bytes kept
    document = json.loads((out / "manifest.json").read_bytes())
    for artifact in document["artifacts"]:
        data = (out / artifact["path"]).read_bytes()
        assert artifact["sha256"] == hashlib.sha256(data).hexdigest() and artifact["bytes"] == len(data)
    assert not list(out.glob(".infogen-*"))


def test_one_process_renders_language_by_language_and_keeps_only_the_last_ones_text_cached():
    """A serial batch takes the languages one after another (whatever the plan's order)
    and clears the text caches between them (text/memo.py): at the end they hold what
    the last language alone would have left, not every language's."""
    from infogen import batch
    from infogen.text import segment, shaping
    from infogen.text.memo import forget_language

    renderer = batch.Request(ROOT).renderer()

    def cached_after(jobs: list[Job], keep: bool = False) -> tuple[int, int, list[str]]:
        forget_language()
        order: list[str] = []
        batch.run(
            batch.Request(ROOT),
            jobs,
            1,
            lambda r: order.append(r.job.id),
            renderer=renderer,
            keep_text_caches=keep,
        )
        return segment.segments.cache_info().currsize, shaping.shape.cache_info().currsize, order

    nl_alone = cached_after(plan(["default", "social"], ["nl"], ["pdf"]))
    both = cached_after(plan(["default", "social"], ["en", "nl"], ["pdf"]))
    assert both[:2] == nl_alone[:2] and nl_alone[0] > 0
    assert both[2] == ["default/en/pdf", "social/en/pdf", "default/nl/pdf", "social/nl/pdf"]
    # The watch loop keeps every language's (it sets them all again on the next save).
    kept = cached_after(plan(["default", "social"], ["en", "nl"], ["pdf"]), keep=True)
    assert kept[0] > nl_alone[0] and kept[1] > nl_alone[1]


def test_a_killed_runs_staging_directory_is_removed_once_it_has_been_untouched_a_while(tmp_path):
    """Another run's staging directory in the output directory is removed only when its
    process is gone and it has not changed for STALE_AFTER_SECONDS: the process may be
    one this run cannot see (a container sharing out/), still storing artifacts."""
    from infogen import staging

    out = tmp_path / "out"
    old, recent = out / f"{staging.STAGING}999999999-a", out / f"{staging.STAGING}999999999-b"
    for directory in (old, recent):
        directory.mkdir(parents=True)
        (directory / "default-en.pdf").write_bytes(b"%PDF-")
    long_ago = time.time() - staging.STALE_AFTER_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    result = render(out, "--lang", "en", "--layout", "social", "--format", "svg")
    assert result.exit_code == 0, result.output
    assert not old.exists() and recent.exists()
