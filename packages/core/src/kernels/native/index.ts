import type { Backend } from '../backend.js';
import { loadNativeAddon, type AddonLoad } from './addon.js';
import { makeNativeBackend } from './backend.js';

export { makeNativeBackend } from './backend.js';
export { loadNativeAddon, type Addon, type AddonLoad } from './addon.js';

let loaded: AddonLoad | undefined;

/** The addon, loaded once (on first call) through @tapegrad/native, or why there is none. @internal */
export function nativeAddon(): AddonLoad {
  return (loaded ??= loadNativeAddon());
}

/** The native backend over the loaded addon with `base`'s kernels for the rest, or null when the addon is unavailable. @internal */
export function nativeBackendOver(base: Backend, threads: () => number): Backend | null {
  const { addon } = nativeAddon();
  return addon ? makeNativeBackend(addon, base, threads) : null;
}
