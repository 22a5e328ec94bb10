#!/usr/bin/env node
// Build step (`npm run build`, after tsc): every JSON Schema set compiled to ajv standalone code
// next to the dist module that owns it, so a run loads validators instead of compiling them.
// The sets (files, ajv options, exported validators) are defined once, in the modules that use
// them; util/precompiled.ts loads the generated code only while it matches the schema files.
import { relative, resolve } from 'node:path';
import { DOCUMENT_SCHEMAS } from '../dist/schema/validator.js';
import { PLAN_SCHEMA } from '../dist/schema/plan-file.js';
import { WIRE_SCHEMAS } from '../dist/emulator/schemas.js';
import { ANSWER_SCHEMAS } from '../dist/targets/answer-shapes.js';
import { writeStandalone } from '../dist/util/precompiled.js';

const ROOT = resolve(import.meta.dirname, '..');
const started = performance.now();
const written = [DOCUMENT_SCHEMAS, PLAN_SCHEMA, WIRE_SCHEMAS, ANSWER_SCHEMAS].map((set) => relative(ROOT, writeStandalone(set, ROOT)));
process.stdout.write(`compiled schemas: ${written.join(', ')} (${Math.round(performance.now() - started)} ms)\n`);
