// Pure entry: contracts and domain rules, safe in browser, Electron and Node.
export * from './contracts/index.js';
export * from './domain/meeting.js';
export * from './domain/version.js';
