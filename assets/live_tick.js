// <LiveTick interval={ms} onTick={fn}/>: calls onTick every `interval` ms while mounted, draws nothing.
// Replaces rx.moment as the live lists' timer: moment.js was a lazy chunk fetched after the page's
// first data arrived, and the rows waited for it (portal_app/components/live_tick.py).
import { useEffect, useRef } from "react";

export function LiveTick({ interval, onTick }) {
  const latest = useRef(onTick);
  latest.current = onTick;
  useEffect(() => {
    const id = setInterval(() => latest.current && latest.current(), interval);
    return () => clearInterval(id);
  }, [interval]);
  return null;
}
