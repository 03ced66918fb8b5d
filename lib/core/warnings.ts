import { IConstruct } from 'constructs';

/** Construct metadata type under which our soft problems are recorded. */
export const WARNING_METADATA_TYPE = 'paas:warning';

/**
 * Records a soft problem (something that works, but probably not as the user thinks) on a
 * construct. cdk8s has no annotation API of its own: warnings live in construct metadata, are
 * listed with `warningsOf(app)` and printed by `npm run synth`.
 */
export function addWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA_TYPE, `${scope.node.path}: ${message}`);
}

/** Every warning recorded below `scope` (inclusive), in construct-tree order. */
export function warningsOf(scope: IConstruct): string[] {
  const out: string[] = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type === WARNING_METADATA_TYPE) out.push(String(entry.data));
    }
  }
  return out;
}
