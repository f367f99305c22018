/**
 * A form's fields as plain data, and back: what sessionStorage keeps of unsaved forms across a
 * reload. A form's fields are its `$state` class fields: Svelte compiles them to get/set pairs
 * on the prototype in the browser, to plain properties on the server (and in unit tests); both
 * are read. A field holding another form (a threat model, a schedule: a class instance) is
 * kept as a nested snapshot. Getters without setters are derived values and are not kept.
 */
export type FormSnapshot = { [field: string]: unknown };

/** A form nested in a form: an instance of some class (not an array, not a plain record). */
function isNestedForm(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && proto !== Object.prototype;
}

/** Names of the fields that hold data (nested forms apart), own or compiled to accessors. */
function dataFields(form: object): string[] {
  const names: string[] = [];
  const record = form as Record<string, unknown>;
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(form))) {
    if (descriptor.get && descriptor.set) names.push(name);
    else if ('value' in descriptor && descriptor.writable && typeof descriptor.value !== 'function')
      if (!isNestedForm(record[name])) names.push(name);
  }
  for (
    let proto = Object.getPrototypeOf(form) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (descriptor.get && descriptor.set && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

function nestedForms(form: object): [string, object][] {
  return Object.entries(form).filter((entry): entry is [string, object] => isNestedForm(entry[1]));
}

export function snapshotForm(form: object): FormSnapshot {
  const snapshot: FormSnapshot = {};
  const record = form as Record<string, unknown>;
  for (const name of dataFields(form)) {
    // JSON round trip: a $state proxy (an array or record field) becomes plain data.
    snapshot[name] = JSON.parse(JSON.stringify(record[name] ?? null)) as unknown;
  }
  for (const [name, nested] of nestedForms(form)) snapshot[name] = snapshotForm(nested);
  return snapshot;
}

/** Puts a snapshot back; fields the form no longer has, or of another type, are skipped. */
export function restoreForm(form: object, snapshot: FormSnapshot): void {
  const record = form as Record<string, unknown>;
  const fields = dataFields(form);
  for (const [name, value] of Object.entries(snapshot)) {
    const current = record[name];
    if (fields.includes(name)) {
      const sameKind =
        current === null ||
        value === null ||
        (Array.isArray(current) ? Array.isArray(value) : typeof current === typeof value);
      if (sameKind) record[name] = value;
    } else if (isNestedForm(current) && typeof value === 'object' && value !== null) {
      restoreForm(current, value as FormSnapshot);
    }
  }
}
