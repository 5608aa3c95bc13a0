// Re-exported from here so that @keyv/redis 6 resolves its peer `keyv` to Keyv 6.
export { default as KeyvRedis, Keyv } from '@keyv/redis';
