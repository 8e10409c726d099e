import { useEffect, useState } from 'react';

/** Loads an image element for Konva; null until it has decoded (or when src is null). */
export function useHtmlImage(src: string | null): HTMLImageElement | null {
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  useEffect(() => {
    if (!src) {
      setImage(null);
      return;
    }
    let live = true;
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (live) setImage(img);
    };
    img.src = src;
    return () => {
      live = false;
    };
  }, [src]);
  return image;
}
