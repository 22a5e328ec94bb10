import { describe, expect, it } from 'vitest';
import { checkNames } from '../../../src/rules/names.js';
import { at, filter, guide, split, state, summary, template, version } from './build.js';

describe('names/duplicate', () => {
  it('reports the later of two templates, naming the earlier file:line:column', () => {
    const a = template('billing', 'a.yaml');
    const b = template('billing', 'b.yaml');
    const ds = checkNames(state({ templates: [b, a] }));
    const first = at(a, 'metadata.name');
    expect(ds).toEqual([
      {
        ...at(b, 'metadata.name'),
        severity: 'error',
        rule: 'names/duplicate',
        message: `PromptTemplate "billing" is already defined at a.yaml:${first.line}:${first.column}`,
      },
    ]);
  });

  it('says why two documents kept to different environments still clash: a name is one object in every environment', () => {
    const a = template('billing', 'a.yaml', { environments: ['dev', 'staging'] });
    const b = template('billing', 'b.yaml', { environments: ['prod'] });
    const [d] = checkNames(state({ templates: [a, b] }));
    expect(d?.message).toMatch(/^PromptTemplate "billing" is already defined at a\.yaml:\d+:\d+ \(kept to dev, staging; this one to prod\): a name is one object in every environment; say what differs by environment in one document \(a split's spec\.environments\) or give the other a name of its own$/);
    // Overlapping environments: the plain message.
    const c = template('billing', 'c.yaml', { environments: ['prod', 'dev'] });
    expect(checkNames(state({ templates: [a, c] }))[0]?.message).toMatch(/^PromptTemplate "billing" is already defined at a\.yaml:\d+:\d+$/);
  });

  it('covers versions, splits and filters by their identities', () => {
    const ds = checkNames(
      state({
        versions: [version('t', '1.0.0', {}, 'a.yaml'), version('t', '1.0.0', {}, 'b.yaml'), version('t', '1.0.1'), version('u', '1.0.0')],
        splits: [split('t', [], {}, 'a.yaml'), split('t', [], {}, 'c.yaml')],
        filters: [filter('f', 1, {}, 'a.yaml'), filter('f', 2, {}, 'z.yaml'), filter('g', 3)],
      }),
    );
    expect(ds.map((d) => [d.file, d.message.slice(0, 40)])).toEqual([
      ['b.yaml', 'version 1.0.0 of template "t" is already'],
      ['c.yaml', 'template "t" already has a TrafficSplit '],
      ['z.yaml', 'SafetyFilter "f" is already defined at a'],
    ]);
  });

  it('takes guide and summary-setting names that differ only in case for one name (emulator E4); templates stay exact', () => {
    const ds = checkNames(
      state({
        guides: [guide('Returns assistant', {}, 'a.yaml'), guide('returns assistant', {}, 'b.yaml')],
        summarySettings: [summary('Voice wrap-up', {}, 'a.yaml'), summary('voice wrap-up', {}, 'c.yaml')],
        templates: [template('Billing'), template('billing')],
      }),
    );
    expect(ds.map((d) => [d.file, d.rule, d.message.replace(/ at a\.yaml:\d+:\d+/, ' at a.yaml')])).toEqual([
      ['b.yaml', 'names/duplicate', 'Guide "returns assistant" differs only in case from "Returns assistant" at a.yaml; rename one (AI Studio is taken to compare these names without case)'],
      ['c.yaml', 'names/duplicate', 'SummarySetting "voice wrap-up" differs only in case from "Voice wrap-up" at a.yaml; rename one (AI Studio is taken to compare these names without case)'],
    ]);
  });

  it('refuses a control character in a name (it would drive the terminal a plan is read in)', () => {
    const ds = checkNames(state({ guides: [guide('Returns\u001b[2J')], templates: [template('ok')], filters: [filter('nul\u0000', 1)] }));
    expect(ds.map((d) => [d.rule, d.message])).toEqual([
      ['names/control-character', 'Guide name contains a control character (U+001B): names are printed in plans, logs and terminals'],
      ['names/control-character', 'SafetyFilter name contains a control character (U+0000): names are printed in plans, logs and terminals'],
    ]);
  });

  it('warns of a guide or summary-setting name that looks the same as another (a Cyrillic А for A), at the later, naming the earlier', () => {
    const a = guide('Returns Assistant', {}, 'a.yaml');
    const b = guide('Returns \u0410ssistant', {}, 'b.yaml');
    const ds = checkNames(state({ guides: [a, b], summarySettings: [summary('Voice', {}, 'a.yaml'), summary('V\u043eice', {}, 'c.yaml')] }));
    const first = at(a, 'metadata.name');
    // Both were two objects that no plan, log or AI Studio page tells apart, without a word.
    expect(ds.map((d) => [d.file, d.severity, d.rule, d.message.replace(/ at a\.yaml:\d+:\d+/, ' at a.yaml')])).toEqual([
      ['b.yaml', 'warning', 'names/lookalike', 'Guide "Returns \u0410ssistant" looks the same as "Returns Assistant" at a.yaml (it holds U+0410, a look-alike of "A"): two objects no reader can tell apart; write both alike, or rename one'],
      ['c.yaml', 'warning', 'names/lookalike', 'SummarySetting "V\u043eice" looks the same as "Voice" at a.yaml (it holds U+043E, a look-alike of "o"): two objects no reader can tell apart; write both alike, or rename one'],
    ]);
    expect(ds[0]).toMatchObject({ file: 'b.yaml', line: at(b, 'metadata.name').line, column: at(b, 'metadata.name').column });
    expect(first.file).toBe('a.yaml');
    // Names in another script that differ by more than look-alikes are two names.
    expect(checkNames(state({ guides: [guide('Возврат'), guide('Доставка')] }))).toEqual([]);
  });

  it('warns of a guide or summary-setting name written in another Unicode form (NFD é, as macOS writes it), naming the letter', () => {
    // The reviewer's case: "Café guide" composed (U+00E9) and decomposed (e + U+0301) validated
    // clean, and apply made two guides that print the same. The bytes stay the name: a warning.
    const nfc = 'Caf\u00e9 guide';
    const nfd = 'Cafe\u0301 guide';
    const ds = checkNames(
      state({ guides: [guide(nfc, {}, 'g1.yaml'), guide(nfd, {}, 'g2.yaml')], summarySettings: [summary('R\u00e9sum\u00e9', {}, 'a.yaml'), summary('Re\u0301sume\u0301', {}, 'b.yaml')] }),
    );
    expect(ds.map((d) => [d.file, d.severity, d.rule, d.message.replace(/ at (\w+)\.yaml:\d+:\d+/, ' at $1.yaml')])).toEqual([
      ['b.yaml', 'warning', 'names/lookalike', `SummarySetting "Re\u0301sume\u0301" looks the same as "R\u00e9sum\u00e9" at a.yaml (it writes "\u00e9" as U+0065 U+0301 (NFD), that one as U+00E9 (NFC): one letter in two Unicode forms): two objects no reader can tell apart; write both alike, or rename one`],
      ['g2.yaml', 'warning', 'names/lookalike', `Guide "${nfd}" looks the same as "${nfc}" at g1.yaml (it writes "\u00e9" as U+0065 U+0301 (NFD), that one as U+00E9 (NFC): one letter in two Unicode forms): two objects no reader can tell apart; write both alike, or rename one`],
    ]);
    // The NFC one second: the note names its form from its side.
    expect(checkNames(state({ guides: [guide(nfd, {}, 'a.yaml'), guide(nfc, {}, 'b.yaml')] }))[0]?.message).toContain('(it writes "\u00e9" as U+00E9 (NFC), that one as U+0065 U+0301 (NFD)');
    // Names the same in both forms, and accented names that differ, are left alone.
    expect(checkNames(state({ guides: [guide(nfc), guide('Caf\u00e8 guide'), guide('Cafe guide')] }))).toEqual([]);
  });

  it('warns of a character no reader sees in a guide name (a zero-width space makes another object of the same name)', () => {
    const ds = checkNames(state({ guides: [guide('Returns\u200b')] }));
    expect(ds.map((d) => [d.severity, d.rule, d.message])).toEqual([
      ['warning', 'names/invisible-character', 'Guide name "Returns\u200b" holds U+200B (ZERO WIDTH SPACE), which no reader sees: it names another object than the one it reads as; remove it'],
    ]);
  });

  it('allows a template and a filter to share a name', () => {
    expect(checkNames(state({ templates: [template('x')], filters: [filter('x', 1)] }))).toEqual([]);
  });
});
