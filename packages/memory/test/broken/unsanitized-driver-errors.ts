import type { KVError, KVOperation } from '@strongbox/core';
import { DroppableConnectionsBackend, droppableFaults } from './droppable-connections.js';
import type { BrokenFixture } from './fixture.js';

/**
 * It hands its driver's errors on as the cause as they are, to keep every field for
 * debugging, instead of the sanitized copy: the failed request's values go with them.
 */
class UnsanitizedDriverErrorsBackend extends DroppableConnectionsBackend {
  protected override driverFailure(
    op: KVOperation,
    key: string | undefined,
    error: unknown,
  ): KVError {
    const failure = super.driverFailure(op, key, error);
    if (failure === error) return failure;
    const { code, unhealthy, indeterminate } = failure;
    return this.kvError({ code, op, key, unhealthy, indeterminate, cause: error });
  }
}

export const unsanitizedDriverErrors: BrokenFixture = {
  name: 'unsanitized-driver-errors',
  defect: "driver errors become the KVError's cause unsanitized, with the request's values",
  breaks: ['errors.no-values.faults'],
  create: async () => new UnsanitizedDriverErrorsBackend(),
  faults: droppableFaults,
};
