// The validate pipeline (DESIGN §1): files → DesiredState + diagnostics. The only place that
// knows the order config → schema → model → rules → tokens; every command that reads the
// prompts directory comes through here.
export { loadProject, type LoadOptions, type LoadResult } from './project.js';
export type { LeftOutDocument } from './left-out.js';
export { loadConfig, loadConfigFile, type ConfigResult } from './config.js';
