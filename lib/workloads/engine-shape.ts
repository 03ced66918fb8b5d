import { checkImage } from '../core/image';
import { checkPortName } from '../core/names';
import { assertArgs, S, ShapeMatches } from '../core/shape';
import type { EngineOptions, GenericEngineProps, RedisEngineOptions } from './store-engines';
import { probeShape } from './web-app-shape';

const engineOptions = {
  image: S.optional(S.string().refine(checkImage)),
  extraArgs: S.optional(S.array(S.string())),
};
export const engineOptionsShape = S.object('EngineOptions', engineOptions);
export const redisEngineOptionsShape = S.object('RedisEngineOptions', { ...engineOptions, appendOnly: S.optional(S.boolean()) });

const uid = S.integer(1, 2147483647, 'a non-root UID (an integer >= 1)');
export const genericEngineShape = S.object('GenericEngineProps', {
  image: S.string().refine(checkImage),
  port: S.integer(1, 65535, 'a port number 1-65535'),
  portName: S.optional(S.string().refine(checkPortName)),
  dataPath: S.custom<string>('an absolute path such as "/data"', (v) => typeof v === 'string' && v.startsWith('/') && v.length > 1),
  user: S.optional(uid),
  group: S.optional(S.integer(1, 2147483647, 'a non-root GID (an integer >= 1)')),
  command: S.optional(S.array(S.string())),
  args: S.optional(S.array(S.string())),
  liveness: S.optional(probeShape),
  readiness: S.optional(probeShape),
  writablePaths: S.optional(S.array(S.custom<string>('an absolute path', (v) => typeof v === 'string' && v.startsWith('/')))),
  component: S.optional(S.string()),
});

const matches: [
  ShapeMatches<typeof engineOptionsShape, EngineOptions>,
  ShapeMatches<typeof redisEngineOptionsShape, RedisEngineOptions>,
  ShapeMatches<typeof genericEngineShape, GenericEngineProps>,
] = [true, true, true];
void matches;

/** @internal Checks a preset's options (`StoreEngine.redis()`, `.mariadb()`, `.postgres()`). */
export function checkEngineOptions(kind: 'redis' | 'mariadb' | 'postgres', options: unknown): void {
  assertArgs(`StoreEngine.${kind}`, [['options', options, kind === 'redis' ? redisEngineOptionsShape : engineOptionsShape]]);
}

/** @internal Checks `StoreEngine.generic()` props. */
export function checkGenericEngine(props: unknown): void {
  assertArgs('StoreEngine.generic', [['props', props, genericEngineShape]]);
}
