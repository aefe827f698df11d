// DOM: moves keyboard and screen-reader focus to a screen's heading when the screen appears,
// so a screen change is announced and Tab starts from the top of the new content.
import { useEffect, useRef } from 'react';

export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
