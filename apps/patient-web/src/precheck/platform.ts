// DOM, pure: which browser family the patient is on, for permission guidance that names the
// right settings. Only the user agent string is read; nothing leaves the page.
import type { MessageId } from '../i18n/i18n.ts';

export type PlatformFamily = 'ios' | 'android' | 'mac' | 'windows' | 'other';

export function platformFamily(userAgent: string, maxTouchPoints: number): PlatformFamily {
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'ios';
  // iPadOS 13+ asks for the desktop site and reports itself as a Mac with touch.
  if (/Macintosh/.test(userAgent) && maxTouchPoints > 1) return 'ios';
  if (/Android/.test(userAgent)) return 'android';
  if (/Macintosh|Mac OS X/.test(userAgent)) return 'mac';
  if (/Windows/.test(userAgent)) return 'windows';
  return 'other';
}

export type MediaProblem = 'denied' | 'missing' | 'in-use' | 'insecure' | 'unknown';

/** Steps a patient can follow, in order, for their platform (message ids). */
export function permissionSteps(problem: MediaProblem, family: PlatformFamily): MessageId[] {
  switch (problem) {
    case 'denied':
      switch (family) {
        case 'ios':
          return ['steps.ios.safari', 'steps.ios.chrome', 'steps.ios.back'];
        case 'android':
          return ['steps.android.lock', 'steps.android.allow', 'steps.tapRetry'];
        case 'mac':
          return ['steps.desktop.addressBar', 'steps.mac.system', 'steps.clickRetry'];
        case 'windows':
          return ['steps.desktop.addressBar', 'steps.windows.system', 'steps.clickRetry'];
        case 'other':
          return ['steps.desktop.addressBar', 'steps.clickRetry'];
      }
      break;
    case 'missing':
      return ['steps.missing.plug', 'steps.missing.join'];
    case 'in-use':
      return ['steps.inUse'];
    case 'insecure':
      return ['steps.insecure'];
    case 'unknown':
      return ['steps.unknown'];
  }
  return [];
}
