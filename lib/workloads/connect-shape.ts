import { checkEnvName } from '../core/names';
import { ProblemCollector } from '../core/errors';
import { collectShape, S, ShapeMatches } from '../core/shape';
import type { ConnectOptions } from './store-connect';
import type { IStoreClient } from './types';

const envName = S.string().refine(checkEnvName);

export const connectOptionsShape = S.object('ConnectOptions', {
  prefix: S.optional(S.string()),
  names: S.optional(
    S.object('ConnectOptions.names', {
      host: S.optional(envName),
      port: S.optional(envName),
      user: S.optional(envName),
      password: S.optional(envName),
      database: S.optional(envName),
    }),
  ),
  hostIncludesPort: S.optional(S.boolean()),
  credentialFiles: S.optional(S.boolean()),
  credentialsPath: S.optional(S.string()),
  readOnly: S.optional(S.boolean()),
});

const matches: ShapeMatches<typeof connectOptionsShape, ConnectOptions> = true;
void matches;

/** A workload that takes environment and Secret mounts: WebApp, BatchJob, ScheduledJob... (duck typed: interfaces leave no runtime trace). */
export const storeClientShape = S.handle<IStoreClient>('a workload of this library (a WebApp, BatchJob or ScheduledJob)', {
  node: 'object',
  name: 'string',
  addEnv: 'function',
  mountSecret: 'function',
  selectorLabels: 'object',
});

/** @internal Checks `StatefulStore.connect(app, options)` arguments under the store's path; fields as connect()'s own messages name them (`connect.names.host`). */
export function checkConnectArgs(path: string, app: unknown, options: unknown): void {
  const problems = new ProblemCollector(path);
  collectShape(problems, path, app, storeClientShape, 'connect');
  collectShape(problems, path, options, connectOptionsShape, 'connect');
  problems.throwIfAny();
}
