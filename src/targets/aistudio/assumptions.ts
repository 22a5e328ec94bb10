// What the AI Studio API does where its documentation (the SDKs' typings and docs, the Genesys
// Terraform provider) is silent: the ONE place that names every assumption the client makes
// (A…) and every choice the emulator makes (E…). The client accepts every plausible answer; the
// emulator picks one. The emulator may not import this module (ARCHITECTURE.md: it sees targets/
// through wire and paths only), so its choices are implemented in src/emulator/aistudio*.ts and
// described here.
//
// Client assumptions
// A1  Creates (POST /guides, /guides/{id}/versions, /conversations/summaries/settings) answer any
//     2xx with the created entity (200 or 201: undocumented).
// A2  The code of a duplicate-name refusal is undocumented: after an attempt whose outcome was
//     unknown, any 409, or a 400 whose message says the name exists, sends the client looking for
//     the object by name (DUPLICATE_NAME) before it reports a conflict.
// A3  The refusal of a new version while the latest one is not ProductionReady has no documented
//     status or code, only its message (wire.ts LATEST_NOT_PRODUCTION_READY, which the Terraform
//     provider matches): 400 or 409 with that message is recognised (isLatestNotProductionReady)
//     and reported as 409 LATEST_NOT_PRODUCTION_READY_CODE. After an unknown outcome it is taken
//     as the echo of our own first attempt and reconciled by content.
// A4  There is no listing of a guide's versions: a version created by an attempt whose outcome was
//     unknown is found as the guide's latestSavedVersion, not ProductionReady (a new version is not),
//     holding what was sent (by the kinds' canonical form, `landed`). The same content already
//     there is adopted, never created twice.
// A5  `name=` on GET /guides matches case-insensitively (documented) and on GET
//     /conversations/summaries/settings partially (documented): the client narrows both to the
//     exact name. Listings are read with sortBy=name&sortOrder=asc so pages stay stable.
// A6  POST .../versions/{v}/jobs answers 202 with a GuideVersionPublishJob, or with an empty body
//     (observed; the Terraform provider crashes there). Without a job the client re-reads the
//     version until its state is the one asked for. A job's status other than Succeeded or
//     Failed (compared case-insensitively) counts as still running; a job that disappears (404)
//     leaves the version's state to decide; after Succeeded the version's state may lag, so it is
//     re-read until it shows the new state. The job's status may lag too (or never move): while
//     the job runs, the client reads the version in turn with the job, and the version in the
//     state asked for ends the wait.
// A7  Publishing a version already in the state asked for may succeed again or be refused (400 or
//     409): either way the version's state decides, so a re-run converges.
// A8  DELETE /guides/{id}/jobs answers 202 with a GuideJob, or with no body, or 204; repeating it
//     during the deletion may answer the same job, another, 404 or 409. The guide is gone when GET
//     /guides/{id} answers 404 (the Terraform provider's criterion); the job may 404 by then. While
//     the job runs, the client reads the guide in turn with the job: a 404 ends the wait (the
//     job's status may lag, as A6's).
// A9  PATCH of a guide or a version has no integer version guard: an unknown outcome is settled
//     by re-reading and comparing. PUT of a summary setting replaces it whole and is resent
//     blindly; its guard is the dateModified read just before it (apply reads it in the kind,
//     kinds/SummarySetting; the client can read it itself: `ifDateModified`).
// A10 A session turn adds to its session ("Creates a new turn in the specified guide session") and
//     runs the guide's model, which is billed: after an attempt of unknown outcome (a 5xx, a dropped
//     connection) it is not resent, into the same session (where the guide could see the user's
//     message twice) or a new one (every earlier turn sent and billed again); the test case reports
//     the error (evals/calls.ts turnGuide). A 429 or a connection never made is resent as any call is.
// A11 interactionType of a summary setting is read-only (the swagger marks SummarySetting.
//     interactionType readOnly; the .NET SDK has no setter): a write cannot set or change it. The
//     plan refuses a value git names that the org's setting does not have (a new one is Live), and
//     a setting git leaves it out of keeps the org's (kinds/SummarySetting interactionTypeProblem),
//     as a rename reads it too (sameContentAs); an Email setting renamed in git would be replaced by
//     a Live one, which the plan warns of, and refuses while it deletes the Email one (renamedTypeLost).
// A12 An org without AI Studio (or without one of its parts) answers 404 for its paths (probe()).
//     Unconfirmed, and contradicted in part: the Terraform provider (guide/resource_genesyscloud_
//     guide_utils.go GuideFtIsEnabled) takes a 5xx from GET /api/v2/guides to mean the guides
//     feature is off. A 5xx is also an outage, so it is not read as "unavailable"; but any refusal
//     of the listing (a 500 at once, a 502/503/504 after retries; a 403 to a client without AI Studio
//     rights) fails a plan only when git defines documents of the kind refused: otherwise the
//     surface is planned as unavailable, with a note (targets/live.ts readLiveParts). Guides and
//     summary settings are judged apart (rights of their own, aiStudio:guide:view and
//     aiStudio:summaryConfig:view; the toggle gates guides alone).
// A13 PATCH of a guide version clears a knowledgeSettings named with null (UpdateGuideVersion's model
//     says nothing of null). A server that kept it instead is caught, not trusted: a write's answer
//     must hold what was sent (genesys/rest.ts heldAsSent, code write.not.held), and nothing is
//     published on top of a version that does not.
// A14 A session turn's inputEvent is sent as {type: UserInput, text, mode: Text} (evals/calls.ts).
//     The JS SDK types both fields as required strings without values; the .NET SDK's
//     GuideSessionInputEvent.cs lists them: type UserInput, ReturnControl or NoOp, mode Text,
//     which is what is sent. DESIGN §3b writes {type: Text, text, mode}, which names no mode and
//     a type the SDK does not list. A server that knows other values refuses the turn with a 400
//     naming the field, which the case reports: nothing is sent twice.
// A15 A guide variable is required when its `validation` holds `required: true` (the Guide schema's
//     example; the SDKs type `validation` as an object and document no field of it): a PromptTest
//     case against the guide that does not set it is refused at validate (rules/test-vars.ts).
// A16 A guide variable of type Date takes an ISO 8601 date ("2025-06-30") or a date-time starting
//     with one, as the Platform API writes dates everywhere; the SDKs say nothing of a Date
//     variable's form. Another value in a PromptTest case is refused at validate (rules/test-vars.ts).
// A17 A summary setting's summaryType, format and maskPII may be filled in by the org when a create
//     or a PUT leaves them out: the SDK's SummarySetting model makes them optional and documents no
//     default, so a server that sets one (summaryType Concise) is not ruled out. Left out of git,
//     each is "optional + computed" (Terraform's word): the plan neither compares nor resets it, a
//     PUT for another change carries what the org holds, a create sends none, and whatever the org
//     fills in counts as the write landing, to the client (`landed`, heldAsSent), to settling an
//     interrupted run (the kind's `holdsIntended`) and to a rename's check. The other optional fields
//     (participantLabels, predefinedInsights, customEntities, integrationId, timeoutDuration) are
//     the user's content, compared as written; serviceType is read as Native when absent
//     (kinds/SummarySetting ORG_FILLED). Named in git, a field is compared and sent as ever; taken
//     out of git, it keeps its last value rather than being cleared.
//
// Emulator choices
// E1  A new guide starts with an empty Draft "1.0" (instruction ""), which the Terraform provider's
//     fallback ("Latest version is not in Production Ready state" → edit the latest version)
//     suggests; EmulatorOptions.aiStudio.newGuideDraft=false starts guides without any version.
// E2  POST /guides/{id}/versions while the latest version is Draft or TestReady: 409, code
//     LATEST_NOT_PRODUCTION_READY_CODE, message LATEST_NOT_PRODUCTION_READY. A new version is
//     labelled the next major after the latest's, "2.0" after "1.0": every label is N.0 (a guide
//     test's `responses:` match on another can never answer: util/semver.ts emulatorGuideLabel).
// E3  Creates answer 200 with the entity; jobs 202; DELETE of a summary setting 204.
// E4  Guide and summary-setting names are unique, compared case-insensitively, refused with the
//     swagger's codes: guides 409 conflict ("Guide with that name already exists."), summary
//     settings 400 summary.setting.name.not.unique. The client reports both as 409 duplicate.name.
// E5  PATCH of a ProductionReady version: 409 version.immutable. PATCH of a TestReady version
//     that changes its content puts it back to Draft (its tested content changed).
// E6  Publish jobs answer 202 InProgress and finish after publishDelayMs; Draft → ProductionReady
//     directly is allowed; publishing to the state a version has succeeds again; ProductionReady →
//     TestReady is refused (409 invalid.state). EmulatorOptions.aiStudio.emptyPublishBody=true
//     answers the 202 with no body; EmulatorOptions.aiStudio.jobsNeverFinish=true answers every
//     read of a publish job InProgress, while its version still reaches its state on time (and
//     of a delete job, while its guide is still deleted on time: E7).
// E7  DELETE /guides/{id}/jobs answers 202 with an InProgress GuideJob that finishes after
//     publishDelayMs, removing the guide with its versions; the job stays readable afterwards; a
//     second DELETE while one runs answers the same job.
// E8  A session turn may run any existing version (any state); an unknown version is 400
//     invalid.value. The answer is deterministic: a text derived from the instruction (variables
//     filled in) and the input, status COMPLETED, result SUCCESSFUL_COLLECTION, Output and
//     InputAndOutput variables echoed from the input variables.
// E9  Summary settings: interactionType is read-only (ignored on write): Live when created, kept by
//     a PUT; settingType defaults to Prompt when a
//     prompt is sent and Basic otherwise; Prompt without a prompt, and External without an
//     integrationId, are 400 invalid.value.
// E10 Request bodies are validated as the SDK's models type them: a wrong type, a value outside
//     an enum, a missing required field or an unknown field is 400 invalid.value naming the field;
//     read-only fields sent back from a GET (id, selfUri, dateCreated, dateModified, state, ...)
//     are accepted and ignored. POST .../versions needs a body (the SDK marks it optional).
//     Stricter than the real platform on unknown fields: the Terraform provider sends guideId in
//     version bodies and guideId/versionId in publish bodies (guide_version/..._utils.go), which
//     the real API evidently ignores. promptctl's client sends model fields only.
// E11 A guide's dateModified moves when it is renamed and when any of its versions changes.
// E12 A knowledgeSettings.knowledgeId that is not a UUID (8-4-4-4-12 hex digits, either case; the
//     Guide schema's pattern) is 400 invalid.value naming knowledgeSettings.knowledgeId ("... must
//     be a UUID"), in every body that carries knowledgeSettings: version create and patch, session
//     turn. The Platform requires a UUID (AuthoringKnowledgeSettings); nothing is stored.
// E13 Length and count limits the emulator enforces (emulator/aistudio-validate.ts) that the SDK's
//     models do not state (checked against SDK 262.0.0): an instruction or prompt of at most
//     100,000 characters, at most 500 variables and 500 data actions a version,
//     knowledgeSettings.description at most 300; a summary setting's customEntities at most 10,
//     its participant and entity labels at most 255, its timeoutDuration 1-86,400 seconds; names
//     at most 255. They are the emulator's guesses, not the platform's word:
//     a body within them may still be refused by a real org, and one past them accepted. Also
//     not in the SDK: GuideVersionPublish.state is optional there; the emulator requires it
//     (promptctl always sends it).
// E14 Publishing (to TestReady or ProductionReady) a version whose instruction calls a data action
//     it does not declare ({{Action.<label>}} with no resources.dataActions entry of that label,
//     compared exactly) is 400 invalid.value, message wire.ts INVALID_DATA_ACTIONS and the labels.
//     The real platform refuses it with that message (the Terraform provider's guide_version test
//     expects it from its publish); whether from the POST or as the job's error is undocumented,
//     and the client stops on either. validate catches it first (placeholders/undeclared-action).
// E15 A version edited (PATCH) while a publish job of it runs is published holding the edit: the
//     job reads the version when it finishes. The gateway's emulated publish refuses the same race
//     (409 version.mismatch, the version left Draft); the platform's behaviour is undocumented.
//     The client settles a publish by the version's state (A6, A7) and edits no version while it
//     publishes one.
// E16 A summary setting keeps what a create or PUT leaves out as absent (a PUT clears it); with
//     EmulatorOptions.aiStudio.summaryDefaults=true, one created or PUT without summaryType or
//     format gets Concise and TextBlock, as a real org may (A17).
import { LATEST_NOT_PRODUCTION_READY, LATEST_NOT_PRODUCTION_READY_CODE } from './wire.js';
import { ApiError } from '../../genesys/errors.js';

/** A5: listings are read in name order, so that pages stay put while they are fetched. */
export const BY_NAME = { sortBy: 'name', sortOrder: 'asc' } as const;

/** A2: a refusal that may mean "an object with this name exists". */
export function isDuplicateName(err: ApiError): boolean {
  return err.status === 409 || (err.status === 400 && DUPLICATE_NAME.test(err.message));
}
const DUPLICATE_NAME = /duplicate|already exists|already in use|name.*(taken|exists|unique)/i;

/**
 * A2: the platform refuses a taken name with codes of its own (summary settings: 400
 * summary.setting.name.not.unique; guides: 409 conflict): reported as promptctl's 409
 * duplicate.name, so apply calls it a conflict (created since the plan), not a failure.
 */
export async function asDuplicateName<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiError && err.code !== 'duplicate.name' && isDuplicateName(err)) {
      const named = new ApiError(err.message, 409, 'duplicate.name', err.correlationId, err.method, err.path);
      if (err.body) named.body = err.body;
      throw named;
    }
    throw err;
  }
}

/** A3: the refusal of a new version while the latest is not ProductionReady. */
export function isLatestNotProductionReady(err: ApiError): boolean {
  return err.code === LATEST_NOT_PRODUCTION_READY_CODE || ((err.status === 400 || err.status === 409) && LATEST_MESSAGE.test(err.message));
}
const LATEST_MESSAGE = new RegExp(LATEST_NOT_PRODUCTION_READY.replace(/\s+/g, '\\s+'), 'i');

/** A6: a job status that means the job is over. */
export function jobOutcome(status: unknown): 'Succeeded' | 'Failed' | undefined {
  const s = typeof status === 'string' ? status.toLowerCase() : '';
  return s === 'succeeded' ? 'Succeeded' : s === 'failed' ? 'Failed' : undefined;
}
