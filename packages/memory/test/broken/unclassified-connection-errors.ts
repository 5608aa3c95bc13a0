import { DroppableConnectionsBackend, droppableFaults } from './droppable-connections.js';
import type { BrokenFixture } from './fixture.js';

/** Its driver reports a lost connection without an errno or a recognizable message. */
class UnclassifiedConnectionErrorsBackend extends DroppableConnectionsBackend {
  protected override connectionError(): Error {
    return new Error('the request did not complete');
  }
}

export const unclassifiedConnectionErrors: BrokenFixture = {
  name: 'unclassified-connection-errors',
  defect: 'errors from dropped connections are not classified unhealthy',
  breaks: ['faults.unhealthy', 'faults.recovers', 'faults.increment'],
  create: async () => new UnclassifiedConnectionErrorsBackend(),
  faults: droppableFaults,
};
