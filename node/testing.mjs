// The ESM entry of `kaleyra-verify/testing`.
import cjs from './testing.js';

export const { Emulator } = cjs;
export default cjs;
