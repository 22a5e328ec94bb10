// What `--help` says after each command's options: its exit status and examples, in one place so
// every command says them the same way (DESIGN §4). The examples use the example prompts/.
import type { Command } from 'commander';

/** The target rules and exit codes every command shares, after the root's command list. */
const ROOT = `
Target (every command that talks to one says which it uses):
  GENESYSCLOUD_REGION, GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET
                          a Genesys Cloud org (the region: usw2.pure.cloud or us-west-2)
  GENESYSCLOUD_API_URL    any base URL instead, such as a running \`promptctl emulator\`
                          (GENESYSCLOUD_LOGIN_URL too if its OAuth host differs)
  none of them            the embedded emulator, state in .promptctl/local-state.json
  --env NAME              an environment of promptctl.yaml (dev, staging, prod…)

Exit status: 0 success; 1 error or invalid input; 2 changes present (plan --detailed-exitcode,
drift); 130 after an interrupt (Ctrl-C); 141 when the reader of the output goes away (\`… | true\`).

Examples:
  $ promptctl validate                 # every problem, at its file:line:column
  $ promptctl plan                     # what apply would change, against the target
  $ promptctl apply                    # show the plan, ask, apply it
  $ promptctl <command> --help         # a command's options, exit status and examples`;

/** What `audit verify` exits with: said by `audit --help` and its own. */
const VERIFY_EXIT = `Exit status: 0 when every record's hash chains to the one before (and --head holds), 1 otherwise,
naming the first line that breaks it.`;

const AFTER: Readonly<Record<string, string>> = {
  validate: `
Every problem is reported with where it is, one per line:
  prompts/billing/v1.yaml:12:26: error: placeholder {{acount}} in userTemplate is not a declared variable: did you mean {{account}}? ("account" is declared and not used) [placeholders/undeclared]

Formats:
  text    path:line:col: error|warning: message [rule]   (summary on stderr)
  json    {"diagnostics":[{"file","line","column","severity","rule","message"}]}
  github  ::error file=...,line=...,col=...,title=<rule>::message   (pull-request annotations)

Exit status: 1 if any error was found, 0 otherwise (warnings alone pass).

Examples:
  $ promptctl validate
  $ promptctl validate --dir prompts --format json | jq '.diagnostics[] | select(.severity=="error")'
  $ promptctl validate --format github        # in a GitHub Actions step`,
  tokens: `
Exit status: 1 if a version is over its model's context window or its template's budget (or any
other error), 0 otherwise.

Examples:
  $ promptctl tokens
  $ promptctl tokens --env prod --format json   # prod's documents, {"versions":[…]}`,
  plan: `
Exit status: 0 (with --detailed-exitcode: 0 no changes, 2 changes); 1 on an error or when the
plan has problems (shown), which apply would refuse; 130 after Ctrl-C.

Examples:
  $ promptctl plan
  $ promptctl plan --out plan.json                  # reviewed now, applied later: apply plan.json
  $ promptctl plan --format markdown > plan.md      # one pull-request comment
  $ promptctl plan --env staging --detailed-exitcode
  $ promptctl plan --changed-since origin/main      # only what the files changed since define`,
  apply: `
Each change writes two records to the audit trail, its intent before the call and its outcome
after (audit.file of promptctl.yaml, by default
.promptctl/audit.jsonl, or .promptctl/envs/NAME/audit.jsonl with --env NAME); \`promptctl audit
verify\` (with the same --env and --dir) checks it. A saved plan is refused if the target or the files moved
since it was made; nothing is then applied.

Exit status: 0 applied (or nothing to do); 1 on an error, a refusal or a cancel (the report says
what was applied before it); 130 after an interrupt.

Examples:
  $ promptctl apply                                 # plan, show it, ask, apply
  $ promptctl apply --auto-approve                  # no question (CI, on merge)
  $ promptctl plan --out plan.json && promptctl apply plan.json
  $ promptctl apply --env prod prod-plan.json       # a protected environment takes only a saved plan`,
  show: `
Exit status: 1 if the plan has problems (apply would refuse it), 0 otherwise.

Examples:
  $ promptctl show plan.json
  $ promptctl show plan.json --format markdown > plan.md
  $ promptctl plan --format json | promptctl show -   # - reads the plan from stdin`,
  drift: `
Exit status: 0 when the org matches git, 2 when it differs, 1 on an error; 130 after Ctrl-C.

Examples:
  $ promptctl drift
  $ promptctl drift --env prod --format markdown    # for an issue or a chat message`,
  export: `
Writes, inside --out:
  <template>.yaml         a prompt template, its published versions and its traffic split
  safety-filters.yaml     the safety filters
  guides/<guide>.yaml     an AI Studio guide, its instruction in guides/<guide>.md beside it
  summaries/<name>.yaml   an AI Studio summary setting

\`plan --dir <out>\` on what it wrote shows no changes but for what a warning names (with --env NAME,
\`plan --env NAME --dir <out>\`, once promptctl.yaml is copied into <out>). Left out with a
warning: what a document cannot hold (a version not published, a name promptctl cannot use, a guide
without an instruction) and a surface the target refuses to list (AI Studio guides on a 403, say).
promptctl.yaml is not written; the export is checked with the prompts directory's, and an error in
that file stops export before anything is read or written. An --out inside the prompts directory,
or holding it, is refused (plan reads it whole).

Exit status: 0 when the files are written (a warning names what does not validate), 1 on an error;
130 after Ctrl-C.

Examples:
  $ promptctl export --out adopted/
  $ promptctl export --env prod --out prod-export/`,
  audit: `
${VERIFY_EXIT.replace('Exit status:', 'Exit status (verify):')}

Examples:
  $ promptctl audit verify
  $ promptctl audit verify --env prod --head 42:<its 64 hex digits>   # the \`audit head:\` an apply printed`,
  emulator: `
Runs until interrupted (Ctrl-C), then finishes the writes in flight and exits 130; 1 when it
cannot start (a port in use, a state file another process holds).

Examples:
  $ promptctl emulator --port 4555 --state /tmp/org.json
  $ GENESYSCLOUD_API_URL=http://127.0.0.1:4555 GENESYSCLOUD_OAUTHCLIENT_ID=local-client \\
    GENESYSCLOUD_OAUTHCLIENT_SECRET=local-secret promptctl plan     # from another shell
  $ promptctl emulator --fault-rate 0.1 --seed 7 --latency-ms 50    # a flaky, slow org`,
  run: `
Exit status: 0 answered; 1 on an error (a filter that blocks the call is one: with
--format json, stdout is then {"error": …, "diagnostics": []}); 130 after an interrupt.

Examples:
  $ promptctl run billing-assistant --var customerName=Ada --var question="Why was I charged twice?"
  $ promptctl run billing-assistant@1.1.0 --var customerName=Ada --var plan=plus --var question="Can I pause?"
  $ promptctl run support-triage --routing-key conv-42 --env staging --var channel=chat --var message=hi   # sticky: one key, one version`,
  test: `
Exit status: 0 when every test reaches its threshold, 1 otherwise (or on an error); 130 after an
interrupt.

Examples:
  $ promptctl test
  $ promptctl test billing-smoke --repeat 5 --threshold 90%
  $ promptctl test --compare 1.0.0,1.1.0
  $ promptctl test --env staging --format junit > junit.xml`,
  status: `
Exit status: 0 (a verdict on a split is information, not a failure); 1 on an error (with
--format json, stdout is then {"error": …, "diagnostics": []}); 130 after Ctrl-C.

Examples:
  $ promptctl status
  $ promptctl status billing-assistant --env prod --since 24h
  $ promptctl status --since 2026-11-01 --format markdown
  $ promptctl status billing-assistant --include-tests   # promptctl test's own calls counted too`,
  promote: `
Exit status: 0 when the split is written (or already says so), 1 when it is refused.

Examples:
  $ promptctl promote billing-assistant 1.1.0 --weight 50 --env staging --dry-run
  $ promptctl promote billing-assistant 1.1.0        # all traffic to 1.1.0
  $ git diff && promptctl plan                      # then review it as any change`,
  rollback: `
Exit status: 0 when the split is written (or already says so), 1 when it is refused (no commit
in the history held 100%).

Examples:
  $ promptctl rollback billing-assistant --env prod --dry-run
  $ promptctl rollback billing-assistant --env prod && promptctl plan --env prod`,
};

/** Subcommands, by `command subcommand`. */
const SUB_AFTER: Readonly<Record<string, string>> = {
  'audit verify': `
${VERIFY_EXIT}

Examples:
  $ promptctl audit verify
  $ promptctl audit verify --env prod
  $ promptctl audit verify .promptctl/envs/prod/audit.jsonl --head 42:<its 64 hex digits>`,
  'audit path': `
Exit status: 0 when the path is printed, 1 when promptctl.yaml (or --env) is not valid.

Examples:
  $ promptctl audit path --env prod          # .promptctl/envs/prod/audit.jsonl, or audit.file
  $ promptctl audit verify "$(promptctl audit path --env prod)"`,
};

/** Adds the root's and each command's text to their --help (commands not listed get none). */
export function addHelpTexts(program: Command): void {
  program.addHelpText('after', ROOT);
  for (const cmd of program.commands) {
    const text = AFTER[cmd.name()];
    if (text !== undefined) cmd.addHelpText('after', text);
    for (const sub of cmd.commands) {
      const subText = SUB_AFTER[`${cmd.name()} ${sub.name()}`];
      if (subText !== undefined) sub.addHelpText('after', subText);
    }
  }
}

/** The commands with a text of their own (for the test that every command has one). */
export const COMMANDS_WITH_HELP: readonly string[] = Object.keys(AFTER);
