import { type RefObject, useCallback, useEffect, useState } from 'react';

/** Drift beyond this (seconds) is corrected by a seek; smaller drift is invisible and seeking costs a stall. */
export const MAX_DRIFT_S = 0.08;

/**
 * Where a follower should be when the leader is at `leaderTime`: the same moment, wrapping when the
 * follower is shorter (both loop), so a 5 s and a 10 s video stay aligned on every loop of the shorter.
 */
export function followerTarget(leaderTime: number, followerDuration: number): number {
  return Number.isFinite(followerDuration) && followerDuration > 0
    ? leaderTime % followerDuration
    : leaderTime;
}

export interface SyncedPlayback {
  playing: boolean;
  position: number;
  duration: number;
  toggle: () => void;
  seek: (seconds: number) => void;
}

/**
 * Plays several videos as one: the longest leads; the others are pulled back into step on every frame.
 * Play, pause and seek always go to all of them.
 */
export function useSyncedPlayback(refs: readonly RefObject<HTMLVideoElement | null>[]): SyncedPlayback {
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);

  const videos = useCallback(() => refs.map((r) => r.current).filter((v) => v !== null), [refs]);
  const leader = useCallback(
    () =>
      videos().reduce<HTMLVideoElement | undefined>(
        (a, v) => (!a || v.duration > a.duration ? v : a),
        undefined,
      ),
    [videos],
  );

  useEffect(() => {
    const onMeta = () => setDuration(leader()?.duration || 0);
    const onTime = () => setPosition(leader()?.currentTime ?? 0);
    const all = videos();
    for (const v of all) {
      v.addEventListener('loadedmetadata', onMeta);
      v.addEventListener('timeupdate', onTime);
    }
    onMeta();
    return () => {
      for (const v of all) {
        v.removeEventListener('loadedmetadata', onMeta);
        v.removeEventListener('timeupdate', onTime);
      }
    };
  }, [videos, leader]);

  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const step = () => {
      const lead = leader();
      if (lead) {
        for (const v of videos()) {
          if (v === lead) continue;
          const target = followerTarget(lead.currentTime, v.duration);
          if (Math.abs(v.currentTime - target) > MAX_DRIFT_S) v.currentTime = target;
        }
      }
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [playing, leader, videos]);

  const toggle = useCallback(() => {
    const all = videos();
    if (playing) {
      for (const v of all) v.pause();
      setPlaying(false);
    } else {
      // play() rejects when the browser refuses (autoplay policy); then we stay paused rather than lie.
      void Promise.all(all.map((v) => v.play())).then(
        () => setPlaying(true),
        () => {
          for (const v of all) v.pause();
          setPlaying(false);
        },
      );
    }
  }, [playing, videos]);

  const seek = useCallback(
    (seconds: number) => {
      for (const v of videos()) v.currentTime = followerTarget(seconds, v.duration);
      setPosition(seconds);
    },
    [videos],
  );

  return { playing, position, duration, toggle, seek };
}
