import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import ValidationPlugin from '@pothos/plugin-validation';
import type { GatewayContext } from '../context.js';

/** The one schema builder. The errors plugin comes first so that it also catches validation failures. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
  };
}>({
  plugins: [ErrorsPlugin, ValidationPlugin, DirectivesPlugin, FederationPlugin],
  // Fields are non-null unless marked nullable, as the public contract is written.
  defaultFieldNullability: false,
  errors: {
    defaultTypes: [],
    // Turns failures of the validation plugin into the ValidationError member of result unions.
    unsafelyHandleInputErrors: true,
  },
});

builder.queryType({});
builder.mutationType({});
