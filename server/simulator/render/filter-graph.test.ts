import { describe, expect, it } from 'vitest';
import { PUSH_IN, poseAt, type SourceQuad, sourceQuad } from './camera.ts';
import {
  appendToOutput,
  cameraGraph,
  crossFadeGraph,
  motionBrushGraph,
  multiShotGraph,
  perFrameExpression,
  perspectiveFilter,
  rawInputArgs,
  scaleOutput,
} from './filter-graph.ts';

/** Evaluates the subset of ffmpeg's expression language perFrameExpression emits, for frame `n`. */
function evaluate(expression: string, index: string, n: number): number {
  const js = expression
    .replaceAll(index, 'N')
    .replace(/lte\(N,(\d+)\)/g, '(N<=$1)')
    .replace(/gte\(N,(\d+)\)/g, '(N>=$1)')
    .replace(/eq\(N,(\d+)\)/g, '(N===$1)')
    .replace(/between\(N,(\d+),(\d+)\)/g, '(N>=$1&&N<=$2)');
  return new Function('N', `return ${js};`)(n) as number;
}

describe('perFrameExpression', () => {
  it('gives back every frame’s value', () => {
    const values = [0, 1.5, 1.5, 1.5, -2.25, 7, 7];
    const expression = perFrameExpression(values, 'in-1');
    for (const [n, value] of values.entries()) expect(evaluate(expression, 'in-1', n)).toBeCloseTo(value, 9);
  });

  it('collapses runs and a constant table', () => {
    expect(perFrameExpression([4, 4, 4], 'n')).toBe('4');
    expect(perFrameExpression([0, 0, 2, 2, 2, 2, 0], 'n')).toBe('lte(n,1)*0+between(n,2,5)*2+gte(n,6)*0');
  });

  it('extends the first and last values past the table ends', () => {
    const expression = perFrameExpression([10, 20, 30], 'in-1');
    expect(evaluate(expression, 'in-1', -1)).toBe(10);
    expect(evaluate(expression, 'in-1', 3)).toBe(30);
  });

  it('parenthesises negatives and rounds to the requested decimals', () => {
    expect(perFrameExpression([-1.23456, 2], 'n')).toBe('lte(n,0)*(-1.235)+gte(n,1)*2');
    expect(perFrameExpression([-0.0001, 0.4, 0.6], 'n', 0)).toBe('lte(n,1)*0+gte(n,2)*1');
  });
});

describe('graphs', () => {
  const size = { width: 1280, height: 720 };
  const identity: SourceQuad = sourceQuad(poseAt(PUSH_IN, 0, size), size);

  it('reads stills as single raw frames', () => {
    expect(rawInputArgs({ file: '/tmp/a.rgb', pixelFormat: 'rgb24', size }, 24)).toEqual([
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      '1280x720',
      '-framerate',
      '24',
      '-i',
      '/tmp/a.rgb',
    ]);
  });

  it('skips the warp when nothing moves', () => {
    expect(perspectiveFilter([identity, identity], size)).toBeNull();
    expect(cameraGraph(2, [identity, identity], size)).toBe(
      '[0:v]format=yuv420p,loop=loop=1:size=1:start=0,format=yuv420p[out]',
    );
  });

  it('warps with a per-frame perspective counted from ffmpeg’s 1-based `in`', () => {
    const quads = [0, 0.5, 1].map((t) => sourceQuad(poseAt(PUSH_IN, t, size), size));
    const filter = perspectiveFilter(quads, size);
    expect(filter).toMatch(/^perspective=x0='lte\(in-1,0\)\*0\+/);
    expect(filter).toContain('sense=source:eval=frame');
    expect(cameraGraph(3, quads, size)).toContain('loop=loop=2:size=1');
  });

  it('fades the end frame in by timestamp over the whole clip', () => {
    const graph = crossFadeGraph(150, 30, Array(150).fill(identity), size);
    expect(graph).toContain('fade=t=in:st=0:d=4.966667:alpha=1');
    expect(graph).toContain('[start][end]overlay=format=yuv420');
  });

  it('stacks moving layers in order with the static region last', () => {
    const layer = {
      positions: [
        { x: 10, y: 20 },
        { x: 12, y: 18 },
      ],
    };
    const graph = motionBrushGraph(2, 30, [layer, layer], { x: 4, y: 6, width: 8, height: 8 });
    expect(graph).toContain("[base0][1:v]overlay=x='lte(round(t*30),0)*10+gte(round(t*30),1)*12'");
    expect(graph).toContain('[base1][2:v]overlay=');
    expect(graph).toContain('[base2][3:v]overlay=x=4:y=6:format=yuv420[static]');
    expect(graph.endsWith('[static]format=yuv420p[out]')).toBe(true);
  });

  it('converts a still once, before repeating it', () => {
    const quads = [0, 1].map((t) => sourceQuad(poseAt(PUSH_IN, t, size), size));
    expect(cameraGraph(2, quads, size).startsWith('[0:v]format=yuv420p,loop=')).toBe(true);
    expect(crossFadeGraph(2, 30, quads, size)).toContain(
      '[1:v]format=yuva420p,loop=loop=1:size=1:start=0,fade=',
    );
  });

  it('multi-shot: one warp over all shots; the end frame fades in over the last shot only', () => {
    const quads = Array.from({ length: 72 }, (_, i) => sourceQuad(poseAt(PUSH_IN, i / 71, size), size));
    expect(multiShotGraph(quads, size, 24)).toMatch(
      /^\[0:v\]format=yuv420p,loop=loop=71:size=1:start=0,perspective=.*\[out\]$/s,
    );
    // Shots of 1 s and 2 s: the last starts on frame 24 (1 s) and fades until frame 71 (47 frames later).
    const graph = multiShotGraph(quads, size, 24, { fromFrame: 24 });
    expect(graph).toContain('fade=t=in:st=1.000000:d=1.958333:alpha=1[end]');
    expect(graph).toContain('[shots][end]overlay=format=yuv420,format=yuv420p[out]');
  });

  it('scales a graph’s output to the delivered size, or leaves it alone', () => {
    const graph = '[0:v]format=yuv420p[out]';
    expect(scaleOutput(graph, size, size)).toBe(graph);
    expect(scaleOutput(graph, size, { width: 2560, height: 1440 })).toBe(
      '[0:v]format=yuv420p[work];\n[work]scale=2560:1440:flags=bicubic,format=yuv420p[out]',
    );
    expect(() => scaleOutput('[0:v]null[x]', size, { width: 2, height: 2 })).toThrow();
    expect(appendToOutput(graph, 'trim=end_frame=3', 'untrimmed')).toBe(
      '[0:v]format=yuv420p[untrimmed];\n[untrimmed]trim=end_frame=3[out]',
    );
  });
});
