import { assertArgs, S, ShapeMatches } from '../core/shape';
import type { StorageClassFacts } from './types';

export const accessModeShape = S.oneOf('ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod');

export const storageClassFactsShape = S.object('StorageClassFacts', {
  supportsExpansion: S.optional(S.boolean()),
  enforcesSize: S.optional(S.boolean()),
  // Emptiness is fromName's own rule (its message names the modes).
  accessModes: S.optional(S.array(accessModeShape)),
  onDelete: S.optional(S.oneOf('archive', 'retain', 'delete', 'unknown')),
});

const matches: ShapeMatches<typeof storageClassFactsShape, StorageClassFacts> = true;
void matches;

/** @internal Checks `StorageClassHandle.fromName()` arguments. */
export function checkStorageClassFacts(storageClassName: unknown, facts: unknown): void {
  assertArgs('StorageClassHandle.fromName', [
    ['storageClassName', storageClassName, S.string()],
    ['facts', facts, storageClassFactsShape],
  ]);
}
