import { expect } from 'vitest';
import { toBeAllClose } from './matchers.js';

expect.extend({ toBeAllClose });
