import { CLI_PHRASING, SLASH_PHRASING, type Phrasing } from '../../answers/phrasing.ts';
import type { DeliveryTarget } from '../delivery/delivery.ts';

/** The command syntax of where the answer is read: a chat's slash commands, or the `idolens` command line. */
export function phrasingFor(target: DeliveryTarget): Phrasing {
  switch (target.kind) {
    case 'discord':
    case 'telegram':
      return SLASH_PHRASING;
    case 'caller':
    case 'outbox':
    case 'none':
      return CLI_PHRASING;
  }
}
