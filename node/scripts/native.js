'use strict';
// Where the Rust workspace, its target directory and the addon's file names are, and the
// one `cargo build` that makes the addon. Shared by install.js and generate.js.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkgDir = path.resolve(__dirname, '..');
const repoDir = path.resolve(pkgDir, '..');
const crate = 'kaleyra-verify-node';

/** True when this package sits in the repository, beside the Rust sources. */
function inRepo() {
  return fs.existsSync(path.join(repoDir, 'bindings', 'node', 'Cargo.toml'));
}

/** `release` unless KALEYRA_VERIFY_NODE_PROFILE says `debug` (quicker for development). */
function profile() {
  const p = process.env.KALEYRA_VERIFY_NODE_PROFILE || 'release';
  if (p !== 'release' && p !== 'debug') throw new Error(`KALEYRA_VERIFY_NODE_PROFILE: ${p}?`);
  return p;
}

/** The workspace's own target/ (shared with every other crate's build) unless set. */
function targetDir() {
  return path.resolve(process.env.CARGO_TARGET_DIR || path.join(repoDir, 'target'));
}

/** The library cargo writes, by platform. */
function libraryFile() {
  const base = crate.replace(/-/g, '_');
  if (process.platform === 'win32') return `${base}.dll`;
  if (process.platform === 'darwin') return `lib${base}.dylib`;
  return `lib${base}.so`;
}

/** The suffix napi's generated loader looks for: linux-x64-gnu, darwin-arm64, ... */
function platformArchAbi() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const report = process.report && process.report.getReport();
    const glibc = report && report.header && report.header.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** Where the loader (native/index.js) loads the addon from. */
function addonPath() {
  return path.join(pkgDir, 'native', `kaleyra-verify.${platformArchAbi()}.node`);
}

/** Runs `cargo build` for the addon; returns the built library's path. */
function cargoBuild(extraEnv = {}) {
  const args = ['build', '-p', crate, '--locked'];
  if (profile() === 'release') args.push('--release');
  execFileSync('cargo', args, {
    cwd: repoDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CARGO_TARGET_DIR: targetDir(), ...extraEnv },
  });
  return path.join(targetDir(), profile(), libraryFile());
}

/** Copies the library beside the loader, by rename so that a running process keeps its copy. */
function installAddon(lib) {
  const dest = addonPath();
  const tmp = `${dest}.${process.pid}.tmp`;
  fs.copyFileSync(lib, tmp);
  fs.renameSync(tmp, dest);
  return dest;
}

module.exports = { pkgDir, repoDir, inRepo, cargoBuild, installAddon, addonPath, targetDir };
