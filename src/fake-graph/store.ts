import { conversationId as newConversationId, threadId as newThreadId } from './ids.js';

export interface FakeRecipient {
  emailAddress?: { name?: string | null; address?: string | null } | null;
}

export interface FakePost {
  contentType: 'text' | 'html';
  content: string;
  newParticipants: FakeRecipient[];
}

export interface FakeThread {
  id: string;
  groupId: string;
  conversationId: string;
  topic: string;
  toRecipients: FakeRecipient[];
  ccRecipients: FakeRecipient[];
  hasAttachments: boolean;
  lastDeliveredDateTime: string;
  uniqueSenders: string[];
  preview: string;
  isLocked: boolean;
  posts: FakePost[];
  /** Milliseconds since the epoch; reads before `visibleAt` get 404, like Exchange right after a create. */
  visibleAt: number;
  /** The bearer token that created it, for tests that compare callers. */
  createdWithToken: string;
}

export interface FakeConversation {
  id: string;
  topic: string;
  threadIds: string[];
}

export interface FakeGroup {
  id: string;
  displayName: string;
  conversations: Map<string, FakeConversation>;
  threads: Map<string, FakeThread>;
}

export interface NewThreadFields {
  topic?: string | undefined;
  toRecipients?: FakeRecipient[] | undefined;
  ccRecipients?: FakeRecipient[] | undefined;
  isLocked?: boolean | undefined;
  posts: FakePost[];
}

/** The ids that `npm start` prints, so that a person can try the gateway at once. */
export const DEMO_GROUP_ID = '5d1a7c3e-2b4f-4e8a-9c6d-0f1e2a3b4c5d';
const DEMO_SEED = 'graph-threads-gateway demo';

/** Graph's `lastDeliveredDateTime` style: UTC, whole seconds, `Z`. */
export function graphTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Plain text of a post body as Graph's `preview` shows it: tags stripped, entities decoded, spaces collapsed, 255 characters at most. */
export function previewOf(post: FakePost | undefined): string {
  if (post === undefined) return '';

  const text = post.contentType === 'html' ? post.content.replace(/<[^>]*>/g, ' ') : post.content;
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
  return text
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => entities[name]!)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}

/** The fake's in-memory mailbox contents: groups, their conversations and threads. */
export class FakeStore {
  readonly groups = new Map<string, FakeGroup>();
  readonly demo: { groupId: string; conversationId: string; threadId: string };

  constructor(
    private readonly now: () => number = Date.now,
    /** Display name that Graph would take from the signed-in user; the fake has no directory. */
    readonly senderName = 'Fake Graph User',
  ) {
    const group = this.addGroup(DEMO_GROUP_ID, 'Demo group');
    const conversation = this.addConversation(group.id, 'Welcome to the fake Microsoft Graph', newConversationId(DEMO_SEED));
    const thread = this.addThread(
      group.id,
      conversation.id,
      {
        posts: [{ contentType: 'html', content: '<p>This thread was seeded when the fake Graph started.</p>', newParticipants: [] }],
      },
      'seed',
      newThreadId(DEMO_SEED),
    );
    this.demo = { groupId: group.id, conversationId: conversation.id, threadId: thread.id };
  }

  addGroup(id: string, displayName: string): FakeGroup {
    const group: FakeGroup = { id: id.toLowerCase(), displayName, conversations: new Map(), threads: new Map() };
    this.groups.set(group.id, group);
    return group;
  }

  group(id: string): FakeGroup | undefined {
    return this.groups.get(id.toLowerCase());
  }

  addConversation(groupId: string, topic: string, id = newConversationId()): FakeConversation {
    const conversation: FakeConversation = { id, topic, threadIds: [] };
    this.group(groupId)!.conversations.set(id, conversation);
    return conversation;
  }

  addThread(groupId: string, conversationId: string, fields: NewThreadFields, token: string, id = newThreadId(), visibleAfterMs = 0): FakeThread {
    const group = this.group(groupId)!;
    const conversation = group.conversations.get(conversationId)!;
    const now = this.now();
    const thread: FakeThread = {
      id,
      groupId: group.id,
      conversationId,
      topic: fields.topic ?? conversation.topic,
      toRecipients: fields.toRecipients ?? [],
      ccRecipients: fields.ccRecipients ?? [],
      hasAttachments: false,
      lastDeliveredDateTime: graphTimestamp(now),
      uniqueSenders: fields.posts.length > 0 ? [this.senderName] : [],
      preview: previewOf(fields.posts[0]),
      isLocked: fields.isLocked ?? false,
      posts: fields.posts,
      visibleAt: now + visibleAfterMs,
      createdWithToken: token,
    };
    group.threads.set(id, thread);
    conversation.threadIds.push(id);
    return thread;
  }

  /** Threads of a group or conversation, newest first, as Graph lists them. */
  listThreads(groupId: string, conversationId?: string): FakeThread[] {
    const group = this.group(groupId)!;
    const ids = conversationId === undefined ? [...group.threads.keys()] : group.conversations.get(conversationId)!.threadIds;
    return ids.map((id) => group.threads.get(id)!).filter((thread) => thread.visibleAt <= this.now()).reverse();
  }

  /** Return every thread of every group, for tests that compare what was stored with what callers received. */
  allThreads(): FakeThread[] {
    return [...this.groups.values()].flatMap((group) => [...group.threads.values()]);
  }
}
