// `promptctl test --format`: which view writes the report.
import type { TestReport } from '../evals/types.js';
import { renderJunit } from './test-junit.js';
import { renderTestMarkdown } from './test-markdown.js';
import { renderTestJson, renderTestText } from './test-results.js';
import { plain, type Style } from './style.js';

export type TestFormat = 'text' | 'markdown' | 'json' | 'junit';

/**
 * `dir`: the prompts directory read, which the text report names when it holds no PromptTest;
 * `full`: the command writing this run's whole report, which markdown cut to fit points to.
 */
export function renderTestReport(report: TestReport, format: TestFormat, style: Style = plain, dir?: string, full?: string): string {
  switch (format) {
    case 'text':
      return renderTestText(report, style, dir);
    case 'markdown':
      return renderTestMarkdown(report, full !== undefined ? { full } : {});
    case 'json':
      return renderTestJson(report);
    case 'junit':
      return renderJunit(report);
  }
}
