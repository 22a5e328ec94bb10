export { gitProvenance, type GitProvenance } from './provenance.js';
export { changedFiles, checkRef } from './changed.js';
export { committedNames, type CommittedNames } from './ownership.js';
