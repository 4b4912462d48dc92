import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, getRegisteredBackend, jsBackend, registerBackend, registerUnavailableBackend, setBackend } from '@tapegrad/core';

// The registry's hooks for backends that live in other packages: one built on another backend's
// kernels (getRegisteredBackend), one that could not load and says why (registerUnavailableBackend).

const before = getBackend();
afterEach(() => setBackend(before));

describe('getRegisteredBackend', () => {
  it('returns the backend registered under a name, or undefined', () => {
    expect(getRegisteredBackend('js')).toBe(jsBackend);
    expect(getRegisteredBackend('no-such-backend')).toBeUndefined();
    const b = { ...jsBackend, name: 'registry-test' };
    registerBackend(b);
    expect(getRegisteredBackend('registry-test')).toBe(b);
  });
});

describe('registerUnavailableBackend', () => {
  it("makes setBackend's error for that name say why it is missing", () => {
    expect(() => setBackend('registry-missing')).toThrow(/^setBackend: unknown backend "registry-missing"; available: js/);
    registerUnavailableBackend('registry-missing', 'the registry-missing addon did not build: no compiler');
    expect(() => setBackend('registry-missing')).toThrow(
      /^setBackend: unknown backend "registry-missing" \(the registry-missing addon did not build: no compiler\); available: js/,
    );
    expect(getBackend()).toBe(before);
  });

  it('is overridden by registering the backend later, and refuses a name that is registered', () => {
    registerUnavailableBackend('registry-late', 'not yet');
    registerBackend({ ...jsBackend, name: 'registry-late' });
    setBackend('registry-late');
    expect(getBackend()).toBe('registry-late');
    expect(() => registerUnavailableBackend('js', 'x')).toThrow('registerUnavailableBackend: backend "js" is registered');
  });
});
