/**
 * The reference videos live in server/simulator/test-videos.ts, because the simulator's own tests need
 * them and server/simulator/ may import only itself and contract/. Re-exported here for every other test.
 */
export * from '../simulator/test-videos.ts';
