// The fields settings name an instrument by (a watchlist entry, a link group's focus):
// the exchange entry's id and the symbol in any notation Foxtrot knows. The exchange's
// own notation is checked where its kind is known (SettingsSchema, addToWatchlist).
import { z } from 'zod';
import { checkAnyNotation } from './instrument-notation';

export const INSTRUMENT_REF_FIELDS = {
  exchange: z.string().min(1).max(32),
  symbol: z
    .string()
    .max(64, 'at most 64 characters')
    .superRefine((v, ctx) => {
      const error = checkAnyNotation(v);
      if (error) ctx.addIssue({ code: 'custom', message: error });
    }),
};
