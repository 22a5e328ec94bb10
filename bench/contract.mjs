// The contract minimum for the bench's apply figure: the fewest requests an apply of a generated
// set can make against an empty org by the gateway contract (DESIGN §3), and its formula in words
// for the report.

/**
 * The fewest requests an apply of `templates` new templates (each with `versions` versions and a
 * split) can make against an empty org, by the API contract (DESIGN §3).
 */
export function contractMinimum(templates, versions) {
  const login = 1; // POST /oauth/token
  const liveRead = 1 + 1; // GET /safetyfilters, GET /prompttemplates?expand=versions,traffic (one page: the org is empty)
  const perTemplate = 1 + versions + versions + 1; // POST template, POST each version, POST each publish job, PUT traffic
  const confirmations = Math.ceil(templates / 100); // one expanded listing page shows the publish state of 100 templates' versions
  return login + liveRead + templates * perTemplate + confirmations;
}

export const CONTRACT_FORMULA =
  'minimum(T, N) = 1 (OAuth token) + 2 (live read of an empty org: safety filters, templates with expand=versions,traffic) ' +
  '+ T × (1 template POST + N version POSTs + N publish-job POSTs + 1 traffic PUT) ' +
  '+ ⌈T ÷ 100⌉ (publish confirmations: one expanded listing page of 100 templates shows every version\'s state)';
