import { isIndeterminate } from '@strongbox/core';

/**
 * Run `write`, and run it once more if it fails with an indeterminate KVError (it may or may
 * not have landed, and may still land later). Only for idempotent writes, where a repeat has
 * the same effect as one: the recipes get that by conditioning on a token unique to the caller.
 */
export async function retryIfIndeterminate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isIndeterminate(error)) throw error;
    return write();
  }
}
