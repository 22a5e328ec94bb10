// What promote and rollback print of their edit: a unified diff of the YAML file. Its colour took
// every line starting `---` or `+++` for the file header, so a removed `---` document marker (a
// line `----` in the diff) or an added `++` line was drawn bold among the headers, not red or
// green. The header is what comes before the first hunk.
import { describe, expect, it } from 'vitest';
import { renderFileEdit } from '../../../src/views/file-edit.js';
import type { Style } from '../../../src/views/style.js';

const tagged: Style = (name, s) => `<${name}>${s}</${name}>`;

describe('the colours of a file edit', () => {
  it('draws the header bold, a removed `---` line red and an added `++` line green', () => {
    const out = renderFileEdit('prompts/t.yaml', 'a: 1\n---\nb: 2\n', 'a: 1\n++ c\nb: 2\n', tagged);
    expect(out).toContain('<bold>--- a/prompts/t.yaml</bold>');
    expect(out).toContain('<bold>+++ b/prompts/t.yaml</bold>');
    expect(out).toContain('<red>----</red>');
    expect(out).toContain('<green>+++ c</green>');
  });
});
