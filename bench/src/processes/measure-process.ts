/**
 * One of the processes an adapter's cells are measured in (see `measureInProcesses`): measures
 * every cell of the adapter `--only` names, with the flags the bench was given, and sends the
 * rounds to the parent. Its place among the processes (`BENCH_PROCESS_INDEX`) picks the
 * contender each cell starts with, so that the processes between them start with every one.
 */
import { setUpAdapter } from '../adapters.js';
import { parseConfig } from '../config.js';
import { runAdapterCells } from '../run-adapter.js';
import { toMessage } from './cell-rounds-message.js';

const config = parseConfig(process.argv.slice(2));
const [adapter] = config.adapters;
if (adapter === undefined || config.adapters.length !== 1 || process.send === undefined) {
  throw new Error('measure-process runs as a child of the bench, for one adapter');
}
const setup = await setUpAdapter(adapter);
try {
  const rotation = Number(process.env.BENCH_PROCESS_INDEX ?? 0);
  process.send(toMessage(await runAdapterCells(setup, config, undefined, rotation)));
} finally {
  await setup.stop();
}
