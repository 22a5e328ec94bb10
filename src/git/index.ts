export { gitProvenance, type GitProvenance } from './provenance.js';
export { changedSince, checkRef, type ChangeSet } from './changed.js';
export { committedNames, type CommittedNames } from './ownership.js';
