export * from './common.js';
export * from './socket.js';
export * from './ice.js';
export * from './http.js';
export * from './ipc.js';
export * from './recording.js';
