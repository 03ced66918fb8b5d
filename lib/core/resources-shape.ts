import { ResourceRange, ResourcesProps } from './resources';
import { S, ShapeMatches } from './shape';

/** Runtime shape of {@link ResourceRange}; the quantities themselves are checked by renderResources. */
export const resourceRangeShape = S.object('ResourceRange', {
  request: S.optional(S.string()),
  limit: S.optional(S.string()),
});

/** Runtime shape of {@link ResourcesProps}. */
export const resourcesShape = S.object('ResourcesProps', {
  cpu: S.optional(resourceRangeShape),
  memory: S.optional(resourceRangeShape),
  ephemeralStorage: S.optional(resourceRangeShape),
});

// Compile-time ties: a change to the interfaces without the shapes (or back) fails tsc.
const rangeMatches: ShapeMatches<typeof resourceRangeShape, ResourceRange> = true;
const resourcesMatch: ShapeMatches<typeof resourcesShape, ResourcesProps> = true;
void [rangeMatches, resourcesMatch];
