// Summary settings: custom entities named once each; the external-service fields only with the
// external service; a prompt the server takes (the schema cannot bound one from a file: not
// longer than its limit, and not blank, since a prompt makes the setting of type Prompt and
// Genesys refuses that type without a prompt). (An External service without integrationId is the schema's error; the text
// rules cover the prompt.)
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { diagnostic, locate } from './util.js';

/** The longest prompt a summary setting takes, in UTF-16 code units (the server's SummarySetting limit). */
export const MAX_PROMPT_CHARS = 100_000;

export function checkSummarySettings(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of state.summarySettings) {
    if (s.prompt !== undefined && s.prompt.length > MAX_PROMPT_CHARS) {
      out.push(
        diagnostic(
          locate(s, 'spec.prompt'),
          'error',
          'summaries/prompt-too-long',
          `the prompt has ${s.prompt.length} characters; Genesys takes at most ${MAX_PROMPT_CHARS}`,
        ),
      );
    }
    if (s.prompt !== undefined && s.prompt.trim() === '') {
      out.push(
        diagnostic(
          locate(s, 'spec.prompt'),
          'error',
          'summaries/empty-prompt',
          'the prompt is blank: a prompt makes the setting of type Prompt, which Genesys refuses without one; write the prompt, or leave prompt out (the setting is then Basic)',
        ),
      );
    }
    const labels = new Map<string, number>();
    s.customEntities?.forEach((e, i) => {
      const key = e.label.trim().toLowerCase();
      const earlier = labels.get(key);
      if (earlier === undefined) return void labels.set(key, i);
      out.push(
        diagnostic(
          locate(s, `spec.customEntities.${i}.label`),
          'error',
          'summaries/duplicate-entity',
          `custom entity "${e.label}" is defined twice (first on line ${locate(s, `spec.customEntities.${earlier}.label`).line})`,
        ),
      );
    });
    if (s.serviceType !== 'External') {
      for (const field of ['integrationId', 'timeoutDuration'] as const) {
        if (s[field] === undefined) continue;
        out.push(
          diagnostic(
            locate(s, `spec.${field}`),
            'warning',
            'summaries/external-only',
            `${field} is used only with serviceType External (this setting uses ${s.serviceType ?? 'the default'}, Native); remove it or set serviceType: External`,
          ),
        );
      }
    }
  }
  return out;
}
