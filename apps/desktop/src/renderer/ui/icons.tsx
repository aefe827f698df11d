// DOM: inline SVG icons (no asset requests, CSP-friendly). Always decorative: every icon sits
// beside text or inside a control with an accessible name.
import type { ReactElement } from 'react';

type IconProps = { size?: number };

function svg(path: ReactElement, { size = 20 }: IconProps): ReactElement {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {path}
    </svg>
  );
}

export const MicIcon = (p: IconProps) =>
  svg(
    <>
      <rect x="9" y="2" width="6" height="12" rx="3" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v4" />
    </>,
    p,
  );
export const MicOffIcon = (p: IconProps) =>
  svg(
    <>
      <path d="M9 9v2a3 3 0 0 0 5.1 2.1M15 9.3V5a3 3 0 0 0-5.7-1.3" />
      <path d="M5 11a7 7 0 0 0 11.5 5.3M19 11a7 7 0 0 1-.6 2.8M12 18v4M3 3l18 18" />
    </>,
    p,
  );
export const CameraIcon = (p: IconProps) =>
  svg(
    <>
      <rect x="2" y="6" width="14" height="12" rx="2" />
      <path d="m16 10 6-3v10l-6-3z" />
    </>,
    p,
  );
export const CameraOffIcon = (p: IconProps) =>
  svg(
    <>
      <path d="M16 16v0a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h2m4 0h4a2 2 0 0 1 2 2v3.5l6-3.5v10" />
      <path d="M3 3l18 18" />
    </>,
    p,
  );
export const BlurIcon = (p: IconProps) =>
  svg(
    <>
      <circle cx="12" cy="9" r="3.5" />
      <path d="M5.5 20a6.5 6.5 0 0 1 13 0" />
      <path d="M3 5h1M3 12h1M20 5h1M20 12h1M3 19h.5M20.5 19h.5" />
    </>,
    p,
  );
export const ScreenIcon = (p: IconProps) =>
  svg(
    <>
      <rect x="2" y="3" width="20" height="14" rx="2" />
      <path d="M8 21h8M12 17v4" />
    </>,
    p,
  );
export const PhoneOffIcon = (p: IconProps) =>
  svg(
    <path d="M10.7 13.3a16 16 0 0 0 3.4 2.6l1.3-1.3a2 2 0 0 1 2.1-.4c.8.3 1.7.5 2.6.6a2 2 0 0 1 1.7 2v3a2 2 0 0 1-2.2 2A19.8 19.8 0 0 1 3.2 4.2 2 2 0 0 1 5.2 2h3a2 2 0 0 1 2 1.7c.1.9.3 1.8.6 2.6a2 2 0 0 1-.4 2.1L9.1 9.7M22 2 2 22" />,
    p,
  );
export const ChatIcon = (p: IconProps) =>
  svg(<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />, p);
export const SettingsIcon = (p: IconProps) =>
  svg(
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
    </>,
    p,
  );
export const CheckIcon = (p: IconProps) => svg(<path d="M20 6 9 17l-5-5" />, p);
export const WarnIcon = (p: IconProps) =>
  svg(
    <>
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      <path d="M12 9v4M12 17h.01" />
    </>,
    p,
  );
export const CrossIcon = (p: IconProps) => svg(<path d="M18 6 6 18M6 6l12 12" />, p);
export const QuestionIcon = (p: IconProps) =>
  svg(
    <>
      <circle cx="12" cy="12" r="10" />
      <path d="M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3M12 17h.01" />
    </>,
    p,
  );
export const SignalIcon = ({ bars, size = 20 }: { bars: 0 | 1 | 2 | 3; size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    {[0, 1, 2].map((i) => (
      <rect
        key={i}
        x={4 + i * 6}
        y={16 - i * 5}
        width="4"
        height={5 + i * 5}
        rx="1"
        fill="currentColor"
        opacity={i < bars ? 1 : 0.25}
      />
    ))}
  </svg>
);
export const UserIcon = (p: IconProps) =>
  svg(
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21a8 8 0 0 1 16 0" />
    </>,
    p,
  );
