// Building blocks for the response item schemas, following how the Dashboard API really behaves:
// the spec marks no property as required, the live API sends null for unset values (an unnamed
// device has "name": null), and now and then a value of another type than the spec says. So every
// declared property is optional and nullable, and a value of the wrong type becomes null instead of
// failing the whole page. Only identity (an organisation's id, a network's id, a device's serial in
// the inventory) is strict: without it nothing can be named, so its absence breaks the contract.
// Objects are loose: a property the spec does not (yet) list passes through untouched.

import * as z from "zod";

/** A required, non-empty id. */
export const identity = z.string().min(1);

/**
 * The id of a telemetry row's subject: may be null or absent (the mapping drops and counts such a
 * row rather than losing the page), but an id of another type breaks the contract like a missing
 * inventory id does.
 */
export const subjectId = z.string().nullish();

export const text = z.string().nullish().catch(null);
export const number = z.number().nullish().catch(null);
export const integer = z.number().int().nullish().catch(null);
export const boolean = z.boolean().nullish().catch(null);
export const textList = z.array(z.string()).nullish().catch(null);

export function object<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.looseObject(shape).nullish().catch(null);
}

export function list<Item extends z.ZodType>(item: Item) {
  return z.array(item).nullish().catch(null);
}

/** One element of a response's item list: it must be an object, whatever its properties hold. */
export function item<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.looseObject(shape);
}
