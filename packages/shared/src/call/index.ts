// DOM, framework-free: the call engine's public API (`@bedside/shared/call`).
export type * from './types.js';
export { CallEngine, defaultEngineTiming } from './CallEngine.js';
export type { CallEngineDeps, EngineTiming } from './CallEngine.js';
export { CallError, mediaCallError, mediaErrorKind } from './errors.js';
export type { CallErrorCode, MediaErrorKind } from './errors.js';
export { createLogger, silentLogger } from './logger.js';
export type { LogContext, LogLevel, LogSink, Logger } from './logger.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { QUALITY_THRESHOLDS, classifyQuality } from './stats.js';
export type { QualityInputs } from './stats.js';
export { audioConstraints, videoConstraints } from './media.js';
export { defaultSocketFactory } from './signaling.js';
export type { SocketFactory, SocketLike, SocketOptions } from './signaling.js';
export { VIDEO_STEPS } from './adaptation.js';
export type { NetworkAdaptation, VideoStep } from './adaptation.js';
export {
  FileChannel,
  isFinished as isTransferFinished,
  type DataChannelLike,
  type FileAuditEvent,
  type FileTransfer,
  type OfferResult,
  type TransferStatus,
} from './files/FileChannel.js';
export {
  FILE_CHANNEL_LABEL,
  FileShare,
  fileDataChannel,
  type FilePeer,
  type FileShareOptions,
  type FileShareSnapshot,
} from './files/FileShare.js';
export {
  ACCEPT_ATTRIBUTE,
  ALLOWED_TYPES,
  MAX_FILE_BYTES,
  checkFileMeta,
  fileTypeOf,
  sha256Hex,
  type AllowedType,
  type CancelReason,
  type DeclineReason,
  type FileRefusal,
} from './files/protocol.js';
export {
  fileRefusalKey,
  fileStatus,
  formatFileSize,
  type FileRefusalKey,
  type FileStatusMessage,
} from './files/messages.js';
export { RecordingConsent, type RecordingConsentSnapshot } from './recording/RecordingConsent.js';
export { VisitExtras } from './visitExtras.js';
export {
  VisitRecorder,
  downloadSink,
  recordingMimeType,
  type RecorderSource,
  type RecorderState,
  type RecordingSink,
} from './recording/VisitRecorder.js';
export { DoctorRecording, type DoctorRecordingPhase } from './recording/DoctorRecording.js';
