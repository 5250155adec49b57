"""`infogen watch`: the loop (with the changes injected), the filter of file events, the
preview server's narrow idea of what it may serve, and the real command in a child
process — saving a layout renders again, a broken save keeps the last good output, and
the preview page in Chromium follows without a reload."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from watchfiles import Change

from infogen import preview, watch
from infogen.cli import Outcome
from infogen.diagnostics import Diagnostic, InfogenError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
WAIT_S = 20  # for one render of the social card (a fraction of a second) on a slow CI machine

# A layout of the test's own, so edits do not depend on the wording of the shipped ones.
LAYOUT = 'extends: layouts/social.yaml\nstyles:\n  credits: {colour: "#4A5863"}\n'
RECOLOURED = LAYOUT.replace("#4A5863", "#AA2233")
BROKEN = RECOLOURED + "bogus_key: 1\n"


# --- the loop, with injected changes --------------------------------------------------------


def fake_render(calls: list[tuple[str, ...]]) -> Any:
    def render(changed: Any) -> watch.Render:
        calls.append(tuple(changed))
        return watch.Render(len(calls), True, 0.0, "00:00:00", tuple(changed))

    return render


def test_loop_renders_once_then_once_per_batch_of_changes() -> None:
    calls: list[tuple[str, ...]] = []
    seen: list[watch.Render] = []
    batches = [
        {(Change.modified, "/p/layouts/a.yaml")},
        set(),  # a batch the filter emptied: no render
        {
            (Change.added, "/p/data/theme.yaml"),
            (Change.modified, "/p/data/theme.yaml"),
            (Change.modified, "/p/x"),
        },
    ]
    assert watch.watch_loop(fake_render(calls), batches, seen.append) == 3
    assert calls == [(), ("/p/layouts/a.yaml",), ("/p/data/theme.yaml", "/p/x")]
    assert [r.number for r in seen] == [1, 2, 3]


def outcome(problems: Sequence[Diagnostic] = (), written: Sequence[Path] = ()) -> Outcome:
    return Outcome([], list(written), list(problems), [], 0.25)


def test_a_session_reports_every_kind_of_failure_and_keeps_going(tmp_path: Path) -> None:
    out = tmp_path / "out"
    attempts = iter(
        [
            lambda: outcome(written=[out / "a-en.svg", out / "manifest.json", out / "debug" / "a-en.svg"]),
            lambda: (_ for _ in ()).throw(InfogenError([Diagnostic("unknown key 'x'")])),
            lambda: outcome(problems=[Diagnostic("text does not fit")]),
            lambda: (_ for _ in ()).throw(RuntimeError("a bug")),
            lambda: outcome(written=[out / "a-en.svg"]),
        ]
    )
    session = watch.Session(lambda: next(attempts)(), out, tmp_path)
    renders = [session([str(tmp_path / "layouts" / "a.yaml")]) for _ in range(5)]
    assert [r.ok for r in renders] == [True, False, False, False, True]
    assert renders[0].files == ("a-en.svg", "manifest.json")  # not debug/: not directly in out/
    assert renders[0].trigger == ("layouts/a.yaml",)  # relative to the project
    assert "unknown key 'x'" in renders[1].errors[0]
    assert "text does not fit" in renders[2].errors[0]
    assert renders[3].errors[0].startswith("internal error: RuntimeError: a bug")
    assert "failed" in watch.summary(renders[1], out) and "keeps the last good output" in watch.summary(
        renders[1], out
    )
    page = watch.status(renders[1], renders[0])
    assert page["files"] == ["a-en.svg", "manifest.json"] and page["shown"] == 1 and page["errors"]


def test_the_filter_ignores_outputs_editor_files_and_caches(tmp_path: Path) -> None:
    layouts, data = tmp_path / "layouts", tmp_path / "data"
    roots = [data, layouts]
    inside = watch.SourceFilter(layouts / "out", roots)  # out/ inside a watched directory
    for ignored in ("out/social-en.svg", "out/manifest.json", "out/.infogen-staging-1-x/a.svg",
                    ".social.yaml.swp", "social.yaml~", ".#social.yaml", "#social.yaml#", "4913",
                    "__pycache__/x.pyc", ".infogen-probe-abc"):  # fmt: skip
        assert not inside(Change.modified, str(layouts / ignored)), ignored
    assert inside(Change.modified, str(layouts / "social.yaml"))
    assert inside(Change.modified, str(layouts / "outline.yaml"))  # a prefix of out/ is no match
    # --out . with the project in the working directory: data/ is still a source
    here = watch.SourceFilter(tmp_path, roots)
    assert here(Change.modified, str(data / "theme.yaml"))
    assert not here(Change.modified, str(tmp_path / "social-en.svg"))


def test_watched_directories_are_the_projects_and_the_options(tmp_path: Path) -> None:
    for name in ("data", "layouts", "fonts", "fonts/more"):
        (tmp_path / name).mkdir()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-fonts"
    elsewhere.mkdir()
    try:
        found = watch.watched_dirs(tmp_path, [tmp_path / "fonts" / "more", elsewhere, tmp_path / "missing"])
        assert found == sorted(
            p.resolve() for p in (tmp_path / "data", tmp_path / "layouts", tmp_path / "fonts", elsewhere)
        )
    finally:
        elsewhere.rmdir()


# --- the preview server, in this process ----------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[preview.PreviewServer]:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a-en.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (out / "manifest.json").write_text("{}")
    running = preview.start(out, 0)
    running.publish({**preview.FIRST_STATUS, "render": 1}, ["a-en.svg", "manifest.json"])
    try:
        yield running
    finally:
        running.stop()


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A request with exactly this path on the wire (urllib would tidy some of them)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_server_listens_on_loopback_only_and_answers_only_as_itself(
    server: preview.PreviewServer,
) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert get(server.port, "/")[0] == 200
    assert get(server.port, "/", host=f"localhost:{server.port}")[0] == 200
    assert get(server.port, "/", host=f"attacker.example:{server.port}")[0] == 403  # DNS rebinding
    status, body = get(server.port, "/status")
    assert status == 200 and json.loads(body)["render"] == 1


def test_the_server_serves_the_outputs_and_nothing_else(
    server: preview.PreviewServer, tmp_path: Path
) -> None:
    out = server.out_dir
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "theme.yaml").write_text("secret: 1\n")
    (out / "stray.svg").write_text("<svg/>")  # in out/, but not written by this run
    assert get(server.port, "/out/a-en.svg") == (200, (out / "a-en.svg").read_bytes())
    assert get(server.port, "/out/manifest.json?v=3")[0] == 200
    for path in ("/../data/theme.yaml", "/%2e%2e/data/theme.yaml", "//etc/passwd", "/out/../data/theme.yaml",
                 "/out/%2e%2e/data/theme.yaml", "/out/..%2fdata%2ftheme.yaml", "/out/%2Fetc%2Fpasswd",
                 "/out/", "/out", "/out/stray.svg", "/out/a-en.svg/", "/out/./a-en.svg", "/a-en.svg"):  # fmt: skip
        assert get(server.port, path)[0] == 404, path
    # an allowed name that became a link to a file elsewhere, or is not a file
    (out / "a-en.svg").unlink()
    (out / "a-en.svg").symlink_to(tmp_path / "data" / "theme.yaml")
    assert get(server.port, "/out/a-en.svg")[0] == 404
    (out / "manifest.json").unlink()
    (out / "manifest.json").mkdir()
    assert get(server.port, "/out/manifest.json")[0] == 404


def test_the_page_runs_only_its_own_script(server: preview.PreviewServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/")
        policy = connection.getresponse().getheader("Content-Security-Policy") or ""
    finally:
        connection.close()
    assert "script-src 'sha256-" in policy and "unsafe" not in policy.split("style-src")[0]


def test_events_send_the_status_now_and_after_each_render(server: preview.PreviewServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/events")
        response = connection.getresponse()
        assert response.getheader("Content-Type", "").startswith("text/event-stream")

        def next_event() -> dict[str, Any]:
            while not (line := response.readline()).startswith(b"data: "):
                assert line, "the stream ended"
            return json.loads(line[len(b"data: ") :])

        assert next_event()["render"] == 1
        server.publish({**preview.FIRST_STATUS, "render": 2, "ok": False, "errors": ["bad"]}, ["a-en.svg"])
        event = next_event()
        assert event["render"] == 2 and event["errors"] == ["bad"]
        assert get(server.port, "/out/manifest.json")[0] == 404  # no longer among the files
    finally:
        connection.close()


def test_run_serves_each_render_with_the_changes_injected(tmp_path: Path) -> None:
    """The whole command in this process: watch.run with a scripted stream of changes
    that looks at the page's status between renders."""
    (tmp_path / "layouts").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a-en.svg").write_text("<svg/>")
    results: Iterator[Any] = iter(
        [
            lambda: outcome(written=[out / "a-en.svg"]),
            lambda: (_ for _ in ()).throw(InfogenError([Diagnostic("unknown key 'x'")])),
        ]
    )
    lines: list[str] = []

    def changes() -> Iterator[set[tuple[Change, str]]]:
        found = re.search(r"preview on http://127\.0\.0\.1:(\d+)/", lines[0])
        assert found, lines
        port = int(found.group(1))
        first = json.loads(get(port, "/status")[1])
        assert (first["render"], first["ok"], first["files"]) == (1, True, ["a-en.svg"])
        yield {(Change.modified, str(tmp_path / "layouts" / "a.yaml"))}
        second = json.loads(get(port, "/status")[1])
        assert (second["render"], second["ok"], second["shown"]) == (2, False, 1)
        assert "unknown key 'x'" in second["errors"][0]
        assert get(port, "/out/a-en.svg")[0] == 200  # the last good output is still shown

    assert watch.run(lambda: next(results)(), tmp_path, [], out, 0, lines.append, changes()) == 2
    assert "watch: rendered #1" in lines[1] and "unknown key 'x'" in lines[3]
    assert "watch: render #2 failed" in lines[4] and "after a change to layouts/a.yaml" in lines[4]


# --- the real command, in a child process ---------------------------------------------------


class Watcher:
    """`infogen watch` in a child process, its output collected line by line."""

    def __init__(self, project: Path, out: Path, *args: str) -> None:
        cmd = [sys.executable, "-m", "infogen", "watch", "--project", str(project), "--lang", "en",
               "--layout", "watched", "--format", "svg", "--out", str(out), *args]  # fmt: skip
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    @property
    def output(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + WAIT_S
        with self.changed:
            while True:
                found = re.search(pattern, "\n".join(self.lines))
                if found:
                    return found
                left = deadline - time.monotonic()
                assert left > 0 and self.process.poll() is None, f"no {pattern!r} in:\n" + "\n".join(
                    self.lines
                )
                self.changed.wait(min(left, 0.5))

    def stop(self) -> int:
        """Ctrl-C, as a designer ends it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def watched(project_copy: Path) -> Path:
    layout = project_copy / "layouts" / "watched.yaml"
    layout.write_text(LAYOUT)
    return layout


def test_saving_renders_again_and_a_broken_save_keeps_the_last_good_output(
    project_copy: Path, watched: Path
) -> None:
    out = project_copy / "out"
    svg = out / "watched-en.svg"
    watcher = Watcher(project_copy, out)
    try:
        watcher.wait_for(r"watch: rendered #1 in [\d.]+ s: watched-en.svg, manifest.json")
        assert "watched/en" in watcher.output  # the fit table
        first = svg.read_bytes()
        assert b"#aa2233" not in first

        watched.write_text(RECOLOURED)
        watcher.wait_for(r"watch: rendered #2 in [\d.]+ s after a change to layouts/watched.yaml")
        second = svg.read_bytes()
        assert second != first and b"#aa2233" in second

        watched.write_text(BROKEN)
        watcher.wait_for(r"watch: render #3 failed")
        assert "layouts/watched.yaml:" in watcher.output and "unknown key 'bogus_key'" in watcher.output
        assert watcher.process.poll() is None
        assert svg.read_bytes() == second

        watched.write_text(RECOLOURED)
        watcher.wait_for(r"watch: rendered #4 ")
        assert svg.read_bytes() == second
        assert "watch: render #5" not in watcher.output  # one render per save, none for the writes
    finally:
        code = watcher.stop()
    assert code == 0 and "watch: stopped" in watcher.output
    assert "Traceback" not in watcher.output


def test_writing_the_outputs_inside_a_watched_directory_triggers_no_render(
    project_copy: Path, watched: Path
) -> None:
    out = project_copy / "data" / "out"  # not yet there: render_run probes data/, then writes
    watcher = Watcher(project_copy, out)
    try:
        watcher.wait_for(r"watch: rendered #1 ")
        time.sleep(1.0)  # many times watchfiles' quiet period
        assert "#2" not in watcher.output and (out / "watched-en.svg").is_file()
        (project_copy / "layouts" / ".watched.yaml.swp").write_text("swap")
        (project_copy / "layouts" / "watched.yaml~").write_text(LAYOUT)
        (project_copy / "data" / "theme.yaml").write_text((project_copy / "data" / "theme.yaml").read_text())
        watcher.wait_for(r"watch: rendered #2 in [\d.]+ s after a change to data/theme.yaml: ")
    finally:
        code = watcher.stop()
    assert code == 0 and "Traceback" not in watcher.output


def start_serving(project: Path, out: Path) -> tuple[Watcher, int]:
    watcher = Watcher(project, out, "--serve", "--port", "0")
    port = int(watcher.wait_for(r"watch: preview on http://127\.0\.0\.1:(\d+)/").group(1))
    watcher.wait_for(r"watch: rendered #1 ")
    return watcher, port


def test_the_preview_page_follows_the_renders_without_a_reload(project_copy: Path, watched: Path) -> None:
    from playwright.sync_api import sync_playwright

    watcher, port = start_serving(project_copy, project_copy / "out")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                shown = "(n) => { const img = document.querySelector('#outputs img');" \
                        " return document.body.dataset.shown === String(n) && img && img.complete" \
                        " && img.naturalWidth > 0 && img.src.endsWith('?v=' + n); }"  # fmt: skip
                page.wait_for_function(shown, arg=1, timeout=WAIT_S * 1000)
                assert "watched/en" in page.inner_text("#fits")
                assert page.get_attribute("#outputs img", "alt") == "watched-en.svg"
                assert page.is_hidden("#errors")

                watched.write_text(RECOLOURED)
                page.wait_for_function(shown, arg=2, timeout=WAIT_S * 1000)
                assert "render #2 done" in page.inner_text("#state")

                watched.write_text(BROKEN)
                page.wait_for_selector("#errors:not([hidden])", timeout=WAIT_S * 1000)
                assert "unknown key 'bogus_key'" in page.inner_text("#errors")
                assert "render #3 FAILED" in page.inner_text("#state")
                assert (
                    page.get_attribute("#outputs img", "src") == "/out/watched-en.svg?v=2"
                )  # the last good one
                assert "watched/en" in page.inner_text("#fits")
            finally:
                browser.close()
    finally:
        code = watcher.stop()
    assert code == 0 and "Traceback" not in watcher.output


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port`, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_the_command_serves_nothing_outside_its_outputs(project_copy: Path, watched: Path) -> None:
    out = project_copy / "out"
    watcher, port = start_serving(project_copy, out)
    try:
        if os.path.exists("/proc/net/tcp"):
            assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
        (out / "stray.svg").write_text("<svg/>")
        (out / "link.svg").symlink_to(project_copy / "data" / "theme.yaml")
        assert get(port, "/out/watched-en.svg")[0] == 200
        assert get(port, "/out/manifest.json")[0] == 200
        for path in ("/../data/theme.yaml", "/%2e%2e/data/theme.yaml", "//etc/passwd", "/out/stray.svg",
                     "/out/link.svg", "/out/../data/theme.yaml", "/out/%2e%2e%2fdata%2ftheme.yaml",
                     f"/out/{project_copy}/data/theme.yaml", "/data/theme.yaml"):  # fmt: skip
            assert get(port, path)[0] == 404, path
    finally:
        code = watcher.stop()
    assert code == 0 and "Traceback" not in watcher.output
