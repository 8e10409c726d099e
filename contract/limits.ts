/** Numeric limits of Kling's image2video API (seed + reference §2, §5). One place, both sides. */
export const LIMITS = {
  promptMaxChars: 2500,
  voicesMax: 2,
  dynamicMasksMax: 6,
  trajectoryMinPoints: 2,
  trajectoryMaxPoints: 77,
  cameraAxisMin: -10,
  cameraAxisMax: 10,
  cfgScaleMin: 0,
  cfgScaleMax: 1,
  imageMaxBytes: 10 * 1024 * 1024,
  imageMinSide: 300,
  /**
   * Kling states no maximum; the studio refuses larger sides so a decompression bomb (a tiny file that
   * declares huge dimensions) is refused from its header, before anything decodes it.
   */
  imageMaxSide: 8192,
  /** Aspect ratio (width / height) must lie in [1/2.5, 2.5]. */
  aspectMin: 1 / 2.5,
  aspectMax: 2.5,
  /** Masks must match the image's aspect ratio; this much relative slack absorbs integer rounding. */
  maskAspectTolerance: 0.01,
  externalTaskIdMaxChars: 64,
  /** Kling list paging (reference §3.3). */
  pageNumMax: 1000,
  pageSizeMax: 500,
  pageSizeDefault: 30,
  /** kling-v3 multi-shot (kling-api.md §2). */
  shotsMax: 6,
  shotPromptMaxChars: 512,
  shotMinSeconds: 1,
  /** kling-v3 image2video elements. */
  elementsMax: 3,
  /** Motion control's reference video (kling-2026.md §2). */
  videoMaxBytes: 100 * 1024 * 1024,
  videoMinSide: 340,
  videoMaxSide: 3850,
  videoMinMs: 3000,
  /** With `character_orientation: "video"` the reference may run 30 s; with `image`, 10 s. */
  videoMaxMsOrientationVideo: 30_000,
  videoMaxMsOrientationImage: 10_000,
  /** Motion control takes at most one element (kling-v3, orientation `video`). */
  motionControlElementsMax: 1,
} as const;
