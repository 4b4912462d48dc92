let enabled = true;

/**
 * True while operations record themselves on the tape (the default; false inside {@link noGrad}).
 *
 * @example
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Sets whether operations record on the tape; returns the previous setting. Prefer {@link noGrad}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const prev = setGradEnabled(false);
 * w.mul(2).requiresGrad; // false
 * setGradEnabled(prev);
 */
export function setGradEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

function withMode<T>(on: boolean, fn: () => T): T {
  const prev = setGradEnabled(on);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    setGradEnabled(prev);
    throw e;
  }
  if (result instanceof Promise) {
    // Keep the mode for the whole async function, as a user awaiting it expects.
    return result.finally(() => setGradEnabled(prev)) as T;
  }
  setGradEnabled(prev);
  return result;
}

/**
 * Runs `fn` without recording operations on the tape, like PyTorch's `with torch.no_grad()`.
 * Results computed inside do not require grad. Used for evaluation and parameter updates.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * y.requiresGrad; // false
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/**
 * Runs `fn` with the tape recording, even inside {@link noGrad}.
 *
 * @example
 * const w = tensor([1, 2], { requiresGrad: true });
 * noGrad(() => enableGrad(() => w.mul(2))).requiresGrad; // true
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
