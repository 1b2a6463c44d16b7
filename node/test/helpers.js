'use strict';
// Shared by the tests: an emulator per test file and a client on it, through the package
// as a user imports it.

const { Client } = require('kaleyra-verify');
const { Emulator } = require('kaleyra-verify/testing');

/** Starts an emulator and a client for it; `after` stops both. */
function setup(t, options = {}) {
  const emulator = Emulator.start();
  const client = new Client({ ...emulator.clientOptions(), ...options });
  t.after(() => {
    client.close();
    emulator.stop();
  });
  return { emulator, client };
}

module.exports = { setup };
