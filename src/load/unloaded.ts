// What the documents kept out of the desired state meant to define (a template, a version, a
// guide, a filter), by name: the rules take it (RuleContext) so that a reference to one of them
// is not reported as a second error, the first being why it failed. A version whose label is no
// semver string, or whose template cannot be read, leaves which label was meant unknown; a file
// that could not be read at all (or a document whose kind or name cannot be) is named, for the
// rules to say a name that resolves to nothing may be defined there.
import { isPlainObject } from '../config/plain-data.js';
import type { RuleContext, UnreadFile } from '../rules/util.js';
import { SEMVER } from '../util/semver.js';

/** The names of RuleContext that UnloadedNames gathers. */
export type UnloadedContext = Pick<RuleContext, 'unloadedTemplates' | 'unloadedVersions' | 'templatesWithBadVersion' | 'unreadableVersion' | 'unloadedGuides' | 'unloadedFilters' | 'unreadFiles'>;

/** Gathers, document by document, what the failed ones meant to define. */
export class UnloadedNames {
  private readonly templates = new Set<string>();
  private readonly versions = new Set<string>();
  private readonly templatesWithBadVersion = new Set<string>();
  private unreadableVersion = false;
  private readonly guides = new Set<string>();
  private readonly filters = new Set<string>();
  private readonly unreadFiles = new Map<string, UnreadFile>();

  /** A document that failed: remember its identity so references to it are not errors too. */
  failed(data: Record<string, unknown>): void {
    if (!data || typeof data !== 'object') return;
    const metadata = data.metadata as Record<string, unknown> | undefined;
    const spec = data.spec as Record<string, unknown> | undefined;
    if (data.kind === 'PromptTemplate' && typeof metadata?.name === 'string') this.templates.add(metadata.name);
    if (data.kind === 'Guide' && typeof metadata?.name === 'string') this.guides.add(metadata.name);
    if (data.kind === 'SafetyFilter' && typeof metadata?.name === 'string') this.filters.add(metadata.name);
    if (data.kind === 'PromptVersion' && typeof spec?.template === 'string' && spec.version !== undefined) {
      this.versions.add(`${spec.template}@${String(spec.version)}`);
      // An unquoted 1.10 or a "v1.2": which label was meant is a guess, so routes of this
      // template to undeclared versions are not reported until the label is fixed.
      if (typeof spec.version !== 'string' || !SEMVER.test(spec.version)) this.templatesWithBadVersion.add(spec.template);
    }
  }

  /** A document with YAML errors (its best-effort data): what it seems to define is not reported as missing elsewhere. */
  broken(data: unknown): void {
    if (!isPlainObject(data)) return;
    this.failed(data);
    // A YAML mistake can end `spec` early (a tab before `version:` ends it there), which leaves
    // the label elsewhere or nowhere: routes of its template to undeclared versions are not
    // reported until the file reads.
    if (data.kind === 'PromptVersion') {
      const spec = isPlainObject(data.spec) ? data.spec : {};
      const template = spec.template ?? data.template;
      if (typeof template !== 'string') this.unreadableVersion = true;
      else if (spec.version === undefined) this.templatesWithBadVersion.add(template);
    }
  }

  /**
   * A file whose content could not be read (binary, not UTF-8, too large, unreadable, outside the
   * directory, a directory not listed), or a document refused whole whose kind or name cannot be
   * read (`rule`: its error's): what it defines is unknown, so a reference to a name defined
   * nowhere else is said to be undefined unless it is there. Once a file: its first error names it.
   */
  unread(file: string, rule: string, directory = false): void {
    if (!this.unreadFiles.has(file)) this.unreadFiles.set(file, { file, rule, ...(directory ? { directory } : {}) });
  }

  /** What the rules are told. */
  context(): UnloadedContext {
    return {
      unloadedTemplates: this.templates,
      unloadedVersions: this.versions,
      templatesWithBadVersion: this.templatesWithBadVersion,
      unreadableVersion: this.unreadableVersion,
      unloadedGuides: this.guides,
      unloadedFilters: this.filters,
      unreadFiles: [...this.unreadFiles.values()],
    };
  }
}
