// DOM: the handful of line icons the controls need, inline so no request or font is fetched.
// Decorative only: every button carries its own text and accessible name.
import type { ReactNode } from 'react';

const Svg = ({ children }: { children: ReactNode }) => (
  <svg
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    {children}
  </svg>
);

export const MicIcon = ({ off = false }: { off?: boolean }) => (
  <Svg>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
    {off && <path d="M4 4l16 16" />}
  </Svg>
);

export const CameraIcon = ({ off = false }: { off?: boolean }) => (
  <Svg>
    <rect x="3" y="6" width="13" height="12" rx="2" />
    <path d="M16 10l5-3v10l-5-3" />
    {off && <path d="M3 3l18 18" />}
  </Svg>
);

export const SwitchIcon = () => (
  <Svg>
    <path d="M4 8h13l-3-3M20 16H7l3 3" />
  </Svg>
);

export const ChatIcon = () => (
  <Svg>
    <path d="M4 5h16v11H9l-5 4z" />
  </Svg>
);

export const LeaveIcon = () => (
  <Svg>
    <path d="M3 15c5-5 13-5 18 0l-2.5 2.5-3-2v-3a10 10 0 0 0-7 0v3l-3 2z" />
  </Svg>
);

export const BlurIcon = () => (
  <Svg>
    <circle cx="12" cy="9" r="3.5" />
    <path d="M5.5 20a6.5 6.5 0 0 1 13 0" />
    <path d="M3 5h1M3 12h1M20 5h1M20 12h1M3 19h.5M20.5 19h.5" />
  </Svg>
);
