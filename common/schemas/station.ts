import { Type, type Static } from '@sinclair/typebox';

export const StationKind = Type.Union([
  Type.Literal('national'), Type.Literal('municipal'), Type.Literal('micro'), Type.Literal('voc'),
]);
export type StationKind = Static<typeof StationKind>;

/** Station registry entry. Coordinates WGS84/CGCS2000 (null when unknown). */
export const Station = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String(),
  city: Type.String(),
  province: Type.String(),
  lon: Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]),
  lat: Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]),
  kind: StationKind,
});
export type Station = Static<typeof Station>;
