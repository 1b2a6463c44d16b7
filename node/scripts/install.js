'use strict';
// npm's `install` script: builds the addon from this repository's Rust sources with cargo
// (the napi CLI is a devDependency, which `npm install <folder>` does not install, so the
// build is a plain `cargo build`), and copies it where the committed napi loader looks.
// A package without the sources but with a built addon (a packed tarball) has nothing to do.

const fs = require('node:fs');
const native = require('./native.js');

if (native.inRepo()) {
  const dest = native.installAddon(native.cargoBuild());
  console.log(`kaleyra-verify: built ${dest}`);
} else if (fs.existsSync(native.addonPath())) {
  console.log(`kaleyra-verify: using ${native.addonPath()}`);
} else {
  console.error(
    'kaleyra-verify: no Rust sources beside this package and no built addon at ' +
      `${native.addonPath()}; install it from a clone of the repository: npm install ./node`,
  );
  process.exit(1);
}
