// Where a template should appear in the name-sorted template listing: the client keeps the names
// it has seen (a full listing, its own creates, renames and deletes) so that a publish
// confirmation can read the one listing page that holds many pending templates. Only a hint:
// the contract does not fix the listing's order (the emulator, like Genesys listings, sorts by
// name); a template not on its expected page is confirmed another way.
import { MAX_PAGE_SIZE } from './wire.js';

export class TemplateDirectory {
  private readonly names = new Map<string, string>();
  private sorted: string[] | undefined;

  /** A complete listing replaces what was known. */
  replaceAll(templates: ReadonlyArray<{ id: string; name: string }>): void {
    this.names.clear();
    for (const t of templates) this.names.set(t.id, t.name);
    this.sorted = undefined;
  }

  set(id: string, name: string): void {
    if (this.names.get(id) === name) return;
    this.names.set(id, name);
    this.sorted = undefined;
  }

  remove(id: string): void {
    if (this.names.delete(id)) this.sorted = undefined;
  }

  /** The 1-based page of a `pageSize` listing sorted by name that should hold the template; undefined if unknown. */
  pageOf(id: string, pageSize = MAX_PAGE_SIZE): number | undefined {
    const name = this.names.get(id);
    if (name === undefined) return undefined;
    const sorted = (this.sorted ??= [...this.names.values()].sort(byCodeUnits));
    return Math.floor(lowerBound(sorted, name) / pageSize) + 1;
  }
}

/** The emulator's order (plain `<` on strings), not locale order. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(sorted: readonly string[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
