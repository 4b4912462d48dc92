let enabled = true;

/** True while operations record themselves on the tape (the default; false inside {@link noGrad}). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Sets whether operations record on the tape; returns the previous setting. Prefer {@link noGrad}. */
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
 * const y = noGrad(() => model.forward(x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/** Runs `fn` with the tape recording, even inside {@link noGrad}. */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
