import type { ThreadData } from '../graph/threads.js';
import type { WireNewThread } from '../graph/wire.js';

/** Graph's clock and ours may differ; a thread delivered this long before the first send still matches. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Characters of post text compared with Graph's `preview`, which is a shortened plain-text copy. */
const COMPARED_CHARACTERS = 100;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** Plain text of a post body as Graph's `preview` shows it: tags removed, entities decoded, spaces collapsed. */
export function plainText(content: string, contentType: 'text' | 'html'): string {
  const text = contentType === 'html' ? content.replace(/<[^>]*>/g, ' ') : content;
  return text
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when the request carries something a created thread can be recognised by. */
export function isRecognisable(sent: WireNewThread): boolean {
  const post = sent.posts?.[0];
  return sent.topic !== undefined || (post !== undefined && plainText(post.body.content, post.body.contentType) !== '');
}

/**
 * Decide whether `thread` is the one a create with body `sent` may have made: same topic, a
 * preview that starts like the post's text, and delivered after the first send.
 */
export function matchesSentThread(thread: ThreadData, sent: WireNewThread, firstSentAt: number): boolean {
  if (sent.topic !== undefined && thread.topic !== sent.topic) return false;

  const post = sent.posts?.[0];
  if (post !== undefined) {
    const text = plainText(post.body.content, post.body.contentType).slice(0, COMPARED_CHARACTERS);
    const preview = plainText(thread.preview ?? '', 'text').slice(0, COMPARED_CHARACTERS);
    const length = Math.min(text.length, preview.length);
    if (text !== '' && (length === 0 || text.slice(0, length) !== preview.slice(0, length))) return false;
  }

  const delivered = Date.parse(thread.lastDeliveredDateTime ?? '');
  return Number.isNaN(delivered) || delivered >= firstSentAt - CLOCK_SKEW_MS;
}

/** True when `thread` was last delivered before a create sent at `firstSentAt` could have made it. */
export function deliveredBefore(thread: ThreadData, firstSentAt: number): boolean {
  const delivered = Date.parse(thread.lastDeliveredDateTime ?? '');
  return !Number.isNaN(delivered) && delivered < firstSentAt - CLOCK_SKEW_MS;
}
