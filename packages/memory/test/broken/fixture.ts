import type { KVBackend } from '@strongbox/core';
import type { ConformanceFaults } from '@strongbox/core/conformance';

/** The memory adapter with exactly one defect, and the conformance tests that must catch it. */
export interface BrokenFixture {
  /** Short id, also the file name. */
  name: string;
  /** The one defect, in a sentence. */
  defect: string;
  /** Rule ids of the conformance tests this defect must fail; every other test must pass. */
  breaks: readonly string[];
  /** A fresh broken backend. */
  create(): Promise<KVBackend>;
  /** Given for fixtures that simulate a networked backend: adds the suite's fault tests. */
  faults?: ConformanceFaults;
}
