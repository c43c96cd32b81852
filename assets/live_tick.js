// <LiveTick interval={ms} onTick={fn}/>: calls onTick every `interval` ms while mounted, draws nothing.
// Replaces rx.moment as the live lists' timer: moment.js was a lazy chunk fetched after the page's
// first data arrived, and the rows waited for it (portal_app/components/live_tick.py).
// A tab in the background sends nothing (no load on the server for tabs nobody looks at, and their
// state may leave its memory); it catches up at once when it is shown again.
import { useEffect, useRef } from "react";

export function LiveTick({ interval, onTick }) {
  const latest = useRef(onTick);
  latest.current = onTick;
  useEffect(() => {
    const fire = () => {
      if (!document.hidden && latest.current) latest.current();
    };
    const id = setInterval(fire, interval);
    document.addEventListener("visibilitychange", fire);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", fire);
    };
  }, [interval]);
  return null;
}
