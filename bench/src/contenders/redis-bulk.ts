import { Cluster, type Redis } from 'ioredis';
import { inChunks } from './chunks.js';
import { connectIoredis, type RedisDeployment } from './redis-deployment.js';

/** Commands in flight at once while seeding; auto-pipelining packs them into few writes. */
const IN_FLIGHT = 20_000;
/** Keys per MSET / UNLINK on a single server. */
const KEYS_PER_COMMAND = 1_000;

/**
 * Writes and removes raw Redis keys in bulk for seeding, outside any measurement: multi-key
 * commands on a single server; on a Cluster, where keys of one command must share a slot,
 * one command per key through an auto-pipelined client that groups them by node.
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
    const client = this.#client;
    if (client instanceof Cluster) {
      return inChunks(keys, IN_FLIGHT, (chunk) =>
        Promise.all(chunk.map((key) => client.set(key, value))),
      );
    }
    return inChunks(keys, KEYS_PER_COMMAND, (chunk) =>
      client.mset(chunk.flatMap((key) => [key, value])),
    );
  }

  unlink(keys: readonly string[]): Promise<void> {
    const client = this.#client;
    if (client instanceof Cluster) {
      return inChunks(keys, IN_FLIGHT, (chunk) =>
        Promise.all(chunk.map((key) => client.unlink(key))),
      );
    }
    return inChunks(keys, KEYS_PER_COMMAND, (chunk) => client.unlink(...chunk));
  }

  async close(): Promise<void> {
    await this.#client.quit();
  }
}
