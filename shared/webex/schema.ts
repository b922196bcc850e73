/**
 * What the Webex Events GraphQL server says it has, read by introspection (every official SDK ships an
 * introspection query; the API enables it). Only the object types and their fields are kept: enough to
 * tell which field paths exist and what type each leads to.
 *
 * Docs: https://public-api.socio.events/docs/2024-06/api/start (no published schema file exists).
 */
import { z } from 'zod';

/**
 * One introspection request: every type with its fields and each field's named type (unwrapped through
 * NON_NULL / LIST up to three levels: `[Attendee!]!` is NON_NULL > LIST > NON_NULL > OBJECT).
 */
export const SCHEMA_INTROSPECTION = /* GraphQL */ `
  query VenueSyncSchema {
    __schema {
      queryType {
        name
      }
      types {
        name
        kind
        fields {
          name
          type {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface TypeRef {
  kind: string;
  name?: string | null | undefined;
  ofType?: TypeRef | null | undefined;
}

const TypeRefSchema: z.ZodType<TypeRef> = z.lazy(() =>
  z.looseObject({
    kind: z.string(),
    name: z.string().nullish(),
    ofType: TypeRefSchema.nullish(),
  }),
);

export const IntrospectionSchema = z.looseObject({
  __schema: z.looseObject({
    queryType: z.looseObject({ name: z.string() }),
    types: z.array(
      z.looseObject({
        name: z.string(),
        kind: z.string(),
        fields: z.array(z.looseObject({ name: z.string(), type: TypeRefSchema })).nullish(),
      }),
    ),
  }),
});
export type WebexIntrospection = z.infer<typeof IntrospectionSchema>;

/** The server's object types as `type name -> field name -> named type` (read-only). */
export class WebexSchemaView {
  private constructor(
    readonly queryType: string,
    private readonly types: ReadonlyMap<string, ReadonlyMap<string, string>>,
  ) {}

  static fromIntrospection(data: WebexIntrospection): WebexSchemaView {
    const types = new Map<string, Map<string, string>>();
    for (const type of data.__schema.types) {
      if (!type.fields) continue;
      types.set(type.name, new Map(type.fields.map((field) => [field.name, namedType(field.type)])));
    }
    return new WebexSchemaView(data.__schema.queryType.name, types);
  }

  /** The named type `field` of `typeName` leads to; undefined when either does not exist. */
  fieldType(typeName: string | undefined, field: string): string | undefined {
    if (typeName === undefined) return undefined;
    return this.types.get(typeName)?.get(field);
  }

  /** The named type at the end of `path` from `typeName`; undefined when any step is missing. */
  pathType(typeName: string | undefined, path: readonly string[]): string | undefined {
    let current = typeName;
    for (const step of path) current = this.fieldType(current, step);
    return current;
  }
}

function namedType(ref: TypeRef): string {
  let current: TypeRef | null | undefined = ref;
  while (current && !current.name) current = current.ofType;
  return current?.name ?? '';
}
