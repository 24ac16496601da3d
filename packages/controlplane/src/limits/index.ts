export {
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  RedisTokenSource,
  parseRedisAddress,
  redisBucketKey,
} from './redis-token-source';
export type { RedisTokenSourceOptions } from './redis-token-source';
export { TOKEN_BUCKET_SCRIPT } from './token-bucket-script';
