import type { WireRecipient } from '../graph/wire.js';
import { builder } from './builder.js';

type WireEmailAddress = NonNullable<WireRecipient['emailAddress']>;

export const EmailAddress = builder.objectRef<WireEmailAddress>('EmailAddress').implement({
  fields: (t) => ({
    name: t.string({ nullable: true, resolve: (email) => email.name ?? null }),
    address: t.string({ nullable: true, resolve: (email) => email.address ?? null }),
  }),
});

export const Recipient = builder.objectRef<WireRecipient>('Recipient').implement({
  fields: (t) => ({
    emailAddress: t.field({ type: EmailAddress, nullable: true, resolve: (recipient) => recipient.emailAddress ?? null }),
  }),
});
