import { describe, expect, it } from 'vitest';
import { isHealthError, isIndeterminate, isKVError, KVError } from '../src/errors.js';

describe('KVError', () => {
  it('is an Error named KVError with its fields and default flags', () => {
    const error = new KVError({ code: 'INVALID_KEY', backend: 'memory', op: 'get', key: 'k' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('KVError');
    expect(error).toMatchObject({ code: 'INVALID_KEY', backend: 'memory', op: 'get', key: 'k' });
    expect(error.unhealthy).toBe(false);
    expect(error.indeterminate).toBe(false);
    expect(error.message).toContain('INVALID_KEY');
  });

  it('omits the key field when none is given', () => {
    expect(new KVError({ code: 'CLOSED', backend: 'memory' })).not.toHaveProperty('key');
  });
});

describe('helpers', () => {
  it('recognize KVErrors from another copy of the package by their registered brand', () => {
    const foreign = Object.assign(new Error('x'), {
      code: 'TIMEOUT',
      unhealthy: true,
      indeterminate: true,
    });
    Object.defineProperty(foreign, Symbol.for('@strongbox/core/KVError'), { value: true });
    expect(isKVError(foreign)).toBe(true);
    expect(isKVError(foreign, 'TIMEOUT')).toBe(true);
    expect(isKVError(foreign, 'ABORTED')).toBe(false);
    expect(isHealthError(foreign)).toBe(true);
    expect(isIndeterminate(foreign)).toBe(true);
  });

  it('reject look-alikes without the brand', () => {
    const lookAlike = Object.assign(new Error('x'), {
      name: 'KVError',
      code: 'TIMEOUT',
      unhealthy: true,
    });
    expect(isKVError(lookAlike)).toBe(false);
    expect(isHealthError(lookAlike)).toBe(false);
    expect(isKVError(null)).toBe(false);
  });
});
