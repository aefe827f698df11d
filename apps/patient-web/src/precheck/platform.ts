// DOM, pure: which browser family the patient is on, for permission guidance that names the
// right settings. Only the user agent string is read; nothing leaves the page.

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

/** Steps a patient can follow, in order, for their platform. */
export function permissionSteps(problem: MediaProblem, family: PlatformFamily): string[] {
  switch (problem) {
    case 'denied':
      switch (family) {
        case 'ios':
          return [
            'Open the Settings app, then Safari › Camera and Safari › Microphone, and choose "Allow".',
            'If you use Chrome on iPhone: Settings › Chrome, and turn on Camera and Microphone.',
            'Come back here and tap "Try again".',
          ];
        case 'android':
          return [
            'Tap the lock icon next to the web address, then Permissions.',
            'Allow Camera and Microphone.',
            'Tap "Try again".',
          ];
        case 'mac':
          return [
            'Click the camera icon or the lock icon in the address bar and allow camera and microphone.',
            'If it is still blocked: System Settings › Privacy & Security › Camera (and Microphone), and turn on your browser.',
            'Click "Try again".',
          ];
        case 'windows':
          return [
            'Click the camera icon or the lock icon in the address bar and allow camera and microphone.',
            'If it is still blocked: Windows Settings › Privacy & security › Camera (and Microphone), and let apps use them.',
            'Click "Try again".',
          ];
        case 'other':
          return [
            'Click the camera icon or the lock icon in the address bar and allow camera and microphone.',
            'Click "Try again".',
          ];
      }
      break;
    case 'missing':
      return [
        'We could not find a camera or microphone. Plug one in, or use a phone instead.',
        'You can still join; the doctor will see that your camera or microphone is missing.',
      ];
    case 'in-use':
      return [
        'Another app is using your camera or microphone. Close it (for example another video call) and try again.',
      ];
    case 'insecure':
      return ['This page must be opened from the secure link (https) the clinic sent you.'];
    case 'unknown':
      return [
        'Something stopped your camera or microphone from starting. Try again, or reload the page.',
      ];
  }
  return [];
}
