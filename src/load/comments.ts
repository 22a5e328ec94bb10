// The comments of every YAML file the load reads (config/lex.ts keeps them in the pass that lexes
// the file), held to the end of the load: the secrets rule checks them with the secrets the config
// names, known only once promptctl.yaml has been read (rules/comment-secrets.ts).
import type { Diagnostic } from '../model/diagnostic.js';
import type { ParseResult } from '../config/parse.js';
import { isPlainObject } from '../config/plain-data.js';
import { checkCommentSecrets, type CommentedFile } from '../rules/comment-secrets.js';
import type { KnownSecret } from '../rules/util.js';
import { lastAtOrBefore } from '../util/search.js';

export class FileComments {
  private readonly files: CommentedFile[] = [];

  /** `parsed`'s comments, as `file` (relative to cwd) names them. */
  add(file: string, parsed: ParseResult): void {
    const { list, lineCounter } = parsed.comments;
    if (list.length === 0) return;
    // A document's range runs from its start (`---`, or its first content) to past the comments
    // after it; the comments above a file's first document are its own (yaml's commentBefore).
    const tests = parsed.documents
      .filter((d) => isPlainObject(d.data) && d.data.kind === 'PromptTest')
      .map((d) => ({ from: d.index === 0 ? 0 : d.doc.range[0], to: d.doc.range[2] }));
    this.files.push({
      comments: list,
      at: (offset) => {
        const { line, col } = lineCounter.linePos(offset);
        return { file, line, column: col };
      },
      // Spans in file order, apart: a binary search, for a file of thousands of tests and findings.
      inTest: (offset) => {
        const t = tests[lastAtOrBefore(tests, offset, (x) => x.from)];
        return t !== undefined && offset < t.to;
      },
    });
  }

  /** secrets/detected in the comments read, with the values the run knows as secrets. */
  findings(known: readonly KnownSecret[]): Diagnostic[] {
    return checkCommentSecrets(this.files, known);
  }
}
