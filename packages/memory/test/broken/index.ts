import { cadIgnoresExpected } from './cad-ignores-expected.js';
import { casIgnoresTtl } from './cas-ignores-ttl.js';
import { clientClock, clientDateObject } from './client-clock.js';
import { closeNotIdempotent } from './close-not-idempotent.js';
import { deadlineIgnored } from './deadline-ignored.js';
import { deleteAlwaysTrue } from './delete-always-true.js';
import { droppableConnections } from './droppable-connections.js';
import { emptyReadAsAbsent } from './empty-read-as-absent.js';
import { expiredMatchesCas } from './expired-matches-cas.js';
import { expiredVisibleToGet } from './expired-visible-to-get.js';
import { faultHookCutsNothing } from './fault-hook-cuts-nothing.js';
import type { BrokenFixture } from './fixture.js';
import { getAfterClose } from './get-after-close.js';
import { inFlightAbortIgnored } from './in-flight-abort-ignored.js';
import { incrementAcceptsLooseNumbers } from './increment-accepts-loose-numbers.js';
import { incrementClientClock } from './increment-client-clock.js';
import { incrementLineAnchored } from './increment-line-anchored.js';
import { incrementRestartsTtl } from './increment-restarts-ttl.js';
import { incrementTtlInSeconds } from './increment-ttl-in-seconds.js';
import { keepTtlAbsentExpires } from './keep-ttl-absent-expires.js';
import { keepTtlIgnored } from './keep-ttl-ignored.js';
import { keyLengthInCodeUnits } from './key-length-in-code-units.js';
import { negativeTtlAccepted } from './negative-ttl-accepted.js';
import { nonAtomicCas } from './non-atomic-cas.js';
import { nonAtomicIncrement } from './non-atomic-increment.js';
import { nulTruncated } from './nul-truncated.js';
import { preAbortedSignalIgnored } from './pre-aborted-signal-ignored.js';
import { sharedStore } from './shared-store.js';
import { slowCalls } from './slow-calls.js';
import { ttlInt32Overflow } from './ttl-int32-overflow.js';
import { ttlZeroExpires } from './ttl-zero-expires.js';
import { unclassifiedConnectionErrors } from './unclassified-connection-errors.js';
import { unsanitizedDriverErrors } from './unsanitized-driver-errors.js';
import { writeBeforeValidation } from './write-before-validation.js';

export type { BrokenFixture } from './fixture.js';
export { nonAtomicCas } from './non-atomic-cas.js';
export { nonAtomicIncrement } from './non-atomic-increment.js';

/** Every fixture: the memory adapter with one defect each, plus correct controls. */
export const FIXTURES: readonly BrokenFixture[] = [
  nonAtomicCas,
  casIgnoresTtl,
  expiredVisibleToGet,
  expiredMatchesCas,
  clientClock,
  clientDateObject,
  emptyReadAsAbsent,
  nulTruncated,
  deleteAlwaysTrue,
  cadIgnoresExpected,
  keepTtlIgnored,
  keepTtlAbsentExpires,
  ttlZeroExpires,
  ttlInt32Overflow,
  negativeTtlAccepted,
  writeBeforeValidation,
  keyLengthInCodeUnits,
  preAbortedSignalIgnored,
  inFlightAbortIgnored,
  deadlineIgnored,
  slowCalls,
  getAfterClose,
  closeNotIdempotent,
  sharedStore,
  droppableConnections,
  unclassifiedConnectionErrors,
  unsanitizedDriverErrors,
  faultHookCutsNothing,
  incrementRestartsTtl,
  incrementAcceptsLooseNumbers,
  incrementLineAnchored,
  incrementClientClock,
  incrementTtlInSeconds,
  nonAtomicIncrement,
];
