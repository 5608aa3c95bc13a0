export { default as KeyvRedis, Keyv } from '@keyv/redis';
