import type { StationSettings } from './types.ts';

/** One configurable value: readable unless write-only (passwords), writable unless read-only. */
export interface Setting {
  get?: () => string;
  /** False when the value is not acceptable. */
  set?: (value: string) => boolean;
}

export const fixed = (value: string): Setting => ({ get: () => value });

export function integer(get: () => number, set: (n: number) => void, min = 1): Setting {
  return {
    get: () => String(get()),
    set: (value) => {
      if (!/^\d+$/.test(value) || Number(value) < min) return false;
      set(Number(value));
      return true;
    },
  };
}

export function boolean(get: () => boolean, set: (b: boolean) => void): Setting {
  return {
    get: () => String(get()),
    set: (value) => {
      if (value !== 'true' && value !== 'false') return false;
      set(value === 'true');
      return true;
    },
  };
}

/** The Basic-auth password: write-only, 16–40 characters as the security profile wants; used from the next connection. */
export const password = (settings: StationSettings): Setting => ({
  set: (value) => {
    if (value.length < 16 || value.length > 40) return false;
    settings.password = value;
    return true;
  },
});

export const text = (get: () => string, set: (s: string) => void): Setting => ({
  get,
  set: (value) => {
    set(value);
    return true;
  },
});
