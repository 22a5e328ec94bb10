// A document's field locations, worked out when first read. The loader indexes every document
// (paths and offsets, config/nodes.ts indexLocations), but a clean run never asks where a field
// is: rules and budgets look a location up only to report a problem. So DocumentFacts, and the
// models normalisation makes from them (model/normalize.ts `located`), hold an accessor that
// expands the index on first read and keeps the result.
import { expandLocations, type LocationIndex } from '../config/nodes.js';
import type { FieldLocations } from '../model/types.js';

/**
 * `target` with a new `locations` property: the expansion of `index`, made on first read, or
 * whatever is assigned. An accessor added to the object, never a property redefined (which would
 * turn the object into a slow dictionary one).
 */
export function withLazyLocations<T extends object>(target: T, index: LocationIndex): T & { locations: FieldLocations } {
  let locations: FieldLocations | undefined;
  return Object.defineProperty(target, 'locations', {
    enumerable: true,
    configurable: true,
    get: () => (locations ??= expandLocations(index)),
    set: (value: FieldLocations) => {
      locations = value;
    },
  }) as T & { locations: FieldLocations };
}
