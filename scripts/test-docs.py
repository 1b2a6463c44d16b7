#!/usr/bin/env python3
"""Runs every fenced code block of README.md and docs/*.md, so that no example rots.

Called at the end of scripts/test.sh, after the packages' own test scripts installed them.
Each block runs as a user's program would, against one emulator (`kaleyra-verify emulator`)
whose base URL, SID and key reach it through KALEYRA_BASE_URL, KALEYRA_SID, KALEYRA_API_KEY:

  rust          doctests: crates/verify-http/src/lib.rs includes each file (`cargo test --doc`)
  python        the Python test venv's interpreter (target/python-test-venv); `python pytest`
                blocks run under pytest
  js            node, in a scratch project where `kaleyra-verify` links to ./node (as
                `npm install ./node` does); a block with `import` runs as an ES module
  c             compiled (C99, -Wall -Wextra -Werror -pedantic) through pkg-config against the
                C library as scripts/test-c.sh installed it (target/c-tests/prefix), and run
  sh run        bash -euo pipefail, with the `kaleyra-verify` command on PATH

Any other block, or a block that should not run, says so in its info string: `no-run: why`.
Those are listed and counted, never counted as passed. Exit status 1 on any failure.

    scripts/test-docs.py [FILE.md ...]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
LIB_RS = ROOT / "crates/verify-http/src/lib.rs"
TIMEOUT = 120


@dataclass
class Block:
    path: Path
    line: int
    lang: str
    words: List[str]
    info: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def no_run(self) -> Optional[str]:
        m = re.search(r"\bno-run\b:?\s*(.*)", self.info)
        return (m.group(1).strip() or "marked no-run") if m else None


def blocks(path: Path) -> List[Block]:
    out: List[Block] = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(```+|~~~+)\s*(.*)$", lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(2), m.group(3).strip(), i + 1
        body: List[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1
        words = [w for w in re.split(r"[\s,]+", info) if w]
        lang = words[0].lower() if words else ""
        out.append(Block(path, start, lang, words[1:], info, "\n".join(body) + "\n"))
    return out


def run(cmd: List[str], cwd: Path, env: Dict[str, str]) -> Tuple[bool, str]:
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {TIMEOUT} s"
    return p.returncode == 0, (p.stdout + p.stderr).strip()


class Runner:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="kaleyra-docs-"))
        self.emulator: Optional[subprocess.Popen[bytes]] = None
        self.env = dict(os.environ)
        self.passed = 0
        self.failed: List[str] = []
        self.not_run: List[str] = []
        self.python: Optional[str] = None
        self.node_app: Optional[Path] = None

    # -- setup ------------------------------------------------------------------------
    def start_emulator(self) -> None:
        subprocess.run(["cargo", "build", "-q", "--locked", "-p", "verify-cli"], cwd=ROOT, check=True)
        binary = TARGET / "debug" / "kaleyra-verify"
        port = free_port()
        log = open(self.tmp / "emulator.log", "wb")
        self.emulator = subprocess.Popen([str(binary), "emulator", "--port", str(port)], stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                info = json.load(urllib.request.urlopen(f"{base}/_emulator/info", timeout=1))
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise SystemExit("test-docs: the emulator did not start")
        account = info["accounts"][0]
        for k in ("KALEYRA_REGION",):
            self.env.pop(k, None)
        self.env.update(KALEYRA_SID=account["sid"], KALEYRA_API_KEY=account["api_key"], KALEYRA_BASE_URL=base)
        self.env["PATH"] = f"{binary.parent}{os.pathsep}{self.env['PATH']}"
        print(f"emulator on {base} (SID {account['sid']})")

    def python_interpreter(self) -> str:
        if self.python is None:
            py = TARGET / "python-test-venv" / "bin" / "python"
            ok = py.exists() and run([str(py), "-c", "import kaleyra_verify, pytest"], self.tmp, self.env)[0]
            if not ok:  # not run by test-python.sh first: install as a user would
                venv = TARGET / "python-docs-venv"
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
                py = venv / "bin" / "python"
                subprocess.run([str(py), "-m", "pip", "install", "-q", "pytest", "./python"], cwd=ROOT, check=True,
                               env={**os.environ, "MATURIN_PEP517_ARGS": "--profile release"})
            self.python = str(py)
        return self.python

    def c_prefix(self) -> Path:
        """The C library as scripts/test-c.sh installed it, else installed here (debug build)."""
        prefix = TARGET / "c-tests" / "prefix"
        if not (prefix / "lib" / "pkgconfig" / "kaleyra_verify.pc").exists():
            prefix = TARGET / "docs-c-prefix"
            subprocess.run(["scripts/install-c.sh", str(prefix)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                           env={**os.environ, "KV_PROFILE": "dev"})
        return prefix

    def node_project(self) -> Path:
        if self.node_app is None:
            if not list((ROOT / "node" / "native").glob("*.node")):  # built by test-node.sh
                subprocess.run(["node", "scripts/install.js"], cwd=ROOT / "node", check=True)
            app = self.tmp / "node-app"
            (app / "node_modules").mkdir(parents=True)
            (app / "node_modules" / "kaleyra-verify").symlink_to(ROOT / "node")
            (app / "package.json").write_text('{"name": "docs-example", "private": true}\n')
            self.node_app = app
        return self.node_app

    # -- one block ----------------------------------------------------------------------
    def block(self, b: Block) -> Optional[Tuple[bool, str]]:
        work = self.tmp / f"block-{b.path.stem}-{b.line}"
        work.mkdir()
        if b.lang in ("python", "py"):
            f = work / "test_example.py"
            f.write_text(b.code)
            cmd = [self.python_interpreter()]
            cmd += ["-m", "pytest", "-q", "-p", "no:cacheprovider", str(f)] if "pytest" in b.words else [str(f)]
            return run(cmd, work, self.env)
        if b.lang in ("js", "javascript", "mjs"):
            app = self.node_project()
            esm = b.lang == "mjs" or re.search(r"^\s*import\s", b.code, re.M) is not None
            f = app / f"example-{b.path.stem}-{b.line}.{'mjs' if esm else 'js'}"
            f.write_text(b.code)
            return run(["node", str(f)], app, self.env)
        if b.lang in ("sh", "bash", "shell", "console") and "run" in b.words:
            return run(["bash", "-euo", "pipefail", "-c", b.code], work, self.env)
        if b.lang == "c":
            prefix = self.c_prefix()
            pc = subprocess.run(["pkg-config", "--cflags", "--libs", "kaleyra_verify"], capture_output=True, text=True,
                                env={**self.env, "PKG_CONFIG_PATH": str(prefix / "lib" / "pkgconfig")}, check=True)
            f = work / "example.c"
            f.write_text(b.code)
            ok, out = run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", str(f), *pc.stdout.split(),
                           f"-Wl,-rpath,{prefix / 'lib'}", "-o", str(work / "example")], work, self.env)
            return run([str(work / "example")], work, self.env) if ok else (False, out)
        return None

    def rust(self, files: List[Path]) -> None:
        """Rust blocks run as doctests: each file must be included by lib.rs."""
        lib = LIB_RS.read_text()
        structs: Dict[str, Path] = {}
        for m in re.finditer(r'include_str!\("\.\./\.\./\.\./([^"]+)"\)\]\s*struct (\w+);', lib):
            structs[m.group(2)] = ROOT / m.group(1)
        wanted = [f for f in files if any(b.lang == "rust" for b in blocks(f))]
        for f in wanted:
            if f not in structs.values():
                self.failed.append(f"{f.relative_to(ROOT)}: rust blocks, but lib.rs includes no doctest of it")
        if not wanted:
            return
        print("\n-- rust: cargo test -p verify-http --doc (the files lib.rs includes)", flush=True)
        p = subprocess.run(["cargo", "test", "-p", "verify-http", "--doc", "--locked", "--", "Doctests"],
                           cwd=ROOT, capture_output=True, text=True)
        seen = 0
        for m in re.finditer(r"^test \S+ - (\w+) \(line (\d+)\)( - compile)? \.\.\. (\w+)", p.stdout, re.M):
            struct, line, compile_only, result = m.groups()
            if struct not in structs:
                continue
            seen += 1
            where = f"{structs[struct].relative_to(ROOT)} (doctest line {line})"
            if result != "ok":
                self.failed.append(f"{where}: rust")
                print(f"FAIL {where} rust")
            elif compile_only:
                self.not_run.append(f"{where}: rust, no_run: compiled only")
                print(f"COMPILED {where} rust (no_run)")
            else:
                self.passed += 1
                print(f"ok   {where} rust")
        if p.returncode != 0:
            print(p.stdout[-4000:], p.stderr[-4000:])
            if not seen:
                self.failed.append("cargo test --doc failed before running the doctests")
        expected = sum(1 for f in wanted for b in blocks(f) if b.lang == "rust")
        if seen != expected:
            self.failed.append(f"rust: {expected} blocks in the docs, but {seen} doctests ran")

    def main(self, files: List[Path]) -> int:
        self.start_emulator()
        try:
            for f in files:
                print(f"\n-- {f.relative_to(ROOT)}", flush=True)
                for b in blocks(f):
                    if b.lang == "rust":
                        continue
                    if b.no_run is not None:
                        self.not_run.append(f"{b.where}: {b.lang or 'text'}, {b.no_run}")
                        print(f"--   {b.where} {b.lang or 'text'}: not run ({b.no_run})")
                        continue
                    t0 = time.monotonic()
                    res = self.block(b)
                    if res is None:
                        self.failed.append(f"{b.where}: a `{b.info}` block cannot run; mark it `no-run: why` or `run`")
                        print(f"FAIL {b.where} {b.lang}: not runnable and not marked no-run")
                        continue
                    ok, out = res
                    if ok:
                        self.passed += 1
                        print(f"ok   {b.where} {b.lang} ({time.monotonic() - t0:.1f} s)")
                    else:
                        self.failed.append(f"{b.where}: {b.lang}")
                        print(f"FAIL {b.where} {b.lang}\n" + "\n".join("     | " + l for l in out.splitlines()[-30:]))
            self.rust(files)
        finally:
            if self.emulator:
                self.emulator.terminate()
                self.emulator.wait()
            shutil.rmtree(self.tmp, ignore_errors=True)
        print(f"\ndocs: {self.passed} passed, {len(self.failed)} failed, {len(self.not_run)} not run (marked)")
        for n in self.not_run:
            print(f"  not run: {n}")
        for f in self.failed:
            print(f"  FAILED: {f}")
        return 1 if self.failed else 0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    args = [Path(a).resolve() for a in sys.argv[1:]]
    files = args or [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    sys.exit(Runner().main(files))
