// Diagnostics as printed: a message quoting a file's control characters shows them as escapes,
// in text and in GitHub annotations, so a prompts file cannot drive the reader's terminal.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { formatGithub, formatText } from '../../../src/views/diagnostics.js';

const d: Diagnostic = { file: 'p.yaml', line: 2, column: 7, severity: 'error', rule: 'schema/kind', message: 'unknown kind "Prompt\u001b[31mX\u0000"\r\nsee\rDESIGN' };

describe('printing diagnostics', () => {
  it('writes control characters as escapes, keeping the message one line (a line break as \\n, a CR as \\r)', () => {
    expect(formatText(d)).toBe('p.yaml:2:7: error: unknown kind "Prompt\\u001b[31mX\\u0000"\\r\\nsee\\rDESIGN [schema/kind]');
    expect(formatGithub(d)).toBe('::error file=p.yaml,line=2,col=7,title=schema/kind::unknown kind "Prompt\\u001b[31mX\\u0000"%0D%0Asee%0DDESIGN');
  });
});
