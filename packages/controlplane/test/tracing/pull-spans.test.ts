import { encodeBase64, publicKeyOf, signBundle, signingKeyFromSeed } from '@weir/bundle';
import type { PullConfig } from '@weir/config';
import { WeirError } from '@weir/errors';
import { SpanStatusCode } from '@weir/tracing';
import type { ApplyOptions, ApplyOutcome } from '../../src/apply/index';
import { BundlePuller, type SourceFetch } from '../../src/pull/index';
import { CapturedLog } from '../support/captured-log';
import { TracerHarness, type CapturingSink } from './span-capture';

/** `weir.bundle.pull` (issue 18): one span per poll, its outcome, and the apply as its child. */
const KEY = signingKeyFromSeed('release', Buffer.alloc(32, 1));
const NOW = Date.parse('2026-12-06T18:00:00.000Z');

function bundle(revision: number): Buffer {
  const config = { listeners: [{ name: 'public', port: 8080 }], routes: [{ name: 'hello', directResponse: { status: 200, body: `r${revision}` } }] };
  return signBundle({ revision, createdAt: NOW - 1000, config }, [KEY]).bytes;
}

describe('BundlePuller spans', () => {
  let h: TracerHarness;
  let sink: CapturingSink;
  let answers: (SourceFetch | Error)[];
  let parents: (ApplyOptions['parent'] | undefined)[];
  let puller: BundlePuller;

  beforeEach(() => {
    h = new TracerHarness();
    sink = h.recording();
    answers = [];
    parents = [];
    const section: PullConfig = { url: 'https://bundles.test/weir.bundle?token=s3cret', trustedKeys: [{ keyId: KEY.keyId, publicKey: encodeBase64(publicKeyOf(KEY).publicKey) }] };
    puller = new BundlePuller({
      section,
      logger: new CapturedLog().logger,
      wallClock: () => NOW,
      tracer: h.tracer,
      source: (s) => ({
        description: s.url as string,
        fetch: async () => {
          const next = answers.shift();
          if (next === undefined || next instanceof Error) throw next ?? new Error('no answer');
          return next;
        },
        close: async () => undefined,
      }),
      applier: {
        apply: async (_config: unknown, _source: string, options?: ApplyOptions): Promise<ApplyOutcome> => {
          parents.push(options?.parent);
          return { changed: true, version: 'v-7', hash: 'h', spec: {} as never, listeners: [], durationMs: 1 };
        },
      },
    });
  });

  afterEach(async () => {
    await puller.stop();
    await h.tracer.close(100);
  });

  it('records applied, unchanged, not-modified and failed polls, without the query of the source URL (where tokens go)', async () => {
    expect.assertions(5);
    const mark = { etag: '"1"', lastModified: null };
    answers.push({ status: 'fetched', bytes: bundle(3), mark }, { status: 'fetched', bytes: bundle(3), mark }, { status: 'unchanged' }, new WeirError('WEIR_ERR_BUNDLE_SOURCE', 'down'));
    for (let i = 0; i < 4; i++) await puller.poll();
    const spans = sink.named('weir.bundle.pull');
    expect(spans.map((s) => s.attributes['weir.bundle.outcome'])).toEqual(['applied', 'unchanged', 'not-modified', 'failed']);
    expect(spans[0]?.attributes).toEqual({
      'weir.bundle.source': 'https://bundles.test/weir.bundle',
      'weir.bundle.mode': 'apply',
      'weir.bundle.revision': 3,
      'weir.config.version': 'v-7',
      'weir.bundle.outcome': 'applied',
    });
    expect(spans[1]?.attributes['weir.bundle.current_revision']).toBe(3);
    expect(spans.map((s) => s.status)).toEqual([
      { code: SpanStatusCode.UNSET },
      { code: SpanStatusCode.UNSET },
      { code: SpanStatusCode.UNSET },
      { code: SpanStatusCode.ERROR, message: 'WEIR_ERR_BUNDLE_SOURCE' },
    ]);
    // The apply is recorded as a child of the poll that led to it.
    expect(parents).toEqual([{ traceId: spans[0]?.spanContext().traceId, spanId: spans[0]?.spanContext().spanId }]);
  });

  it('records a rejected bundle with its code', async () => {
    expect.assertions(2);
    answers.push({ status: 'fetched', bytes: Buffer.from('not a bundle'), mark: { etag: null, lastModified: null } });
    await puller.poll();
    const span = sink.named('weir.bundle.pull')[0];
    expect(span?.attributes['weir.bundle.outcome']).toBe('rejected');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });
});
