import { Cluster, type Redis } from 'ioredis';
import { inChunks } from './chunks.js';
import { clusterSlot } from './cluster-slot.js';
import { connectIoredis, type RedisDeployment } from './redis-deployment.js';

/** Multi-key commands in flight at once while seeding. */
const IN_FLIGHT_COMMANDS = 200;
/** Keys per MSET / UNLINK on a single server. */
const KEYS_PER_COMMAND = 1_000;

/**
 * Writes and removes raw Redis keys in bulk for seeding, outside any measurement, with
 * multi-key commands (MSET, UNLINK). On a Cluster the keys of one command must share a hash
 * slot, so keys are grouped by slot and the auto-pipelined client packs the commands by node.
 */
export class RedisBulk {
  readonly #client: Redis | Cluster;

  private constructor(client: Redis | Cluster) {
    this.#client = client;
  }

  static async connect(deployment: RedisDeployment): Promise<RedisBulk> {
    return new RedisBulk(await connectIoredis(deployment, { enableAutoPipelining: true }));
  }

  get(key: string): Promise<string | null> {
    return this.#client.get(key);
  }

  set(keys: readonly string[], value: string): Promise<void> {
    return this.#inGroups(keys, (group) => this.#client.mset(group.flatMap((key) => [key, value])));
  }

  unlink(keys: readonly string[]): Promise<void> {
    return this.#inGroups(keys, (group) => this.#client.unlink(...group));
  }

  /** Run `command` on groups of keys that one multi-key command may take, many at a time. */
  async #inGroups(
    keys: readonly string[],
    command: (group: string[]) => Promise<unknown>,
  ): Promise<void> {
    const groups: string[][] = [];
    if (this.#client instanceof Cluster) {
      const bySlot = new Map<number, string[]>();
      for (const key of keys) {
        const slot = clusterSlot(key);
        const group = bySlot.get(slot);
        if (group === undefined) bySlot.set(slot, [key]);
        else group.push(key);
      }
      groups.push(...bySlot.values());
    } else {
      for (let start = 0; start < keys.length; start += KEYS_PER_COMMAND) {
        groups.push(keys.slice(start, start + KEYS_PER_COMMAND));
      }
    }
    await inChunks(groups, IN_FLIGHT_COMMANDS, (chunk) => Promise.all(chunk.map(command)));
  }

  async close(): Promise<void> {
    await this.#client.quit();
  }
}
