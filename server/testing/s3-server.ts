import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** s3rver checks signatures against this key pair (its own fixed credentials). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3 {
  /** `http://127.0.0.1:<port>`: S3_ENDPOINT. */
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps the objects (a test may look at what landed). */
  directory: string;
  /** What a studio needs to use it: S3_* and the AWS credentials the SDK's default chain reads. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Test support (not a test): an S3-compatible server (s3rver) on a free loopback port, its objects in a
 * fresh temp dir, with one bucket made. `stop()` closes it and removes the dir.
 */
export async function startS3(opts: { bucket?: string } = {}): Promise<RunningS3> {
  const bucket = opts.bucket ?? 'motion-studio-test';
  // Not the harness's tempDir: this file is also for scripts outside vitest (the cluster test, the bench).
  const directory = mkdtempSync(join(tmpdir(), 'ms-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    },
    async stop() {
      // The SDK keeps sockets alive: close them, or close() waits for them to time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
