// DOM + React: the cameras, microphones and speakers the browser offers, kept current.
import { useEffect, useState } from 'react';

export interface DeviceLists {
  cameras: readonly MediaDeviceInfo[];
  microphones: readonly MediaDeviceInfo[];
  speakers: readonly MediaDeviceInfo[];
}

const EMPTY: DeviceLists = { cameras: [], microphones: [], speakers: [] };

/** Pure: splits an enumerateDevices() result by kind. */
export function splitDevices(list: readonly MediaDeviceInfo[]): DeviceLists {
  return {
    cameras: list.filter((d) => d.kind === 'videoinput'),
    microphones: list.filter((d) => d.kind === 'audioinput'),
    speakers: list.filter((d) => d.kind === 'audiooutput'),
  };
}

// Before permission is granted, browsers list devices without labels (and often without ids)
// and fire no event once it is: poll briefly until labels appear.
const UNLABELLED_POLL_MS = 1000;
const UNLABELLED_POLLS = 60;

export function useMediaDevices(mediaDevices?: MediaDevices | null): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>(EMPTY);
  useEffect(() => {
    const md =
      mediaDevices === undefined
        ? typeof navigator !== 'undefined'
          ? (navigator.mediaDevices ?? null)
          : null
        : mediaDevices;
    if (!md) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let polls = 0;
    const refresh = () => {
      md.enumerateDevices().then(
        (list) => {
          if (!alive) return;
          setLists(splitDevices(list));
          const unlabelled = list.length > 0 && list.every((d) => d.label === '');
          if (unlabelled && polls++ < UNLABELLED_POLLS && timer === null)
            timer = setTimeout(() => {
              timer = null;
              refresh();
            }, UNLABELLED_POLL_MS);
        },
        () => {
          if (alive) setLists(EMPTY);
        },
      );
    };
    refresh();
    md.addEventListener('devicechange', refresh);
    return () => {
      alive = false;
      if (timer !== null) clearTimeout(timer);
      md.removeEventListener('devicechange', refresh);
    };
  }, [mediaDevices]);
  return lists;
}
