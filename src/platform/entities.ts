import { Account } from '../accounts/account.entity.ts';
import { ApiToken } from '../accounts/api-token.entity.ts';
import { Calendar } from '../calendar/calendar.entity.ts';

/** Every entity MikroORM knows; features add theirs here. */
export const entities = [Account, ApiToken, Calendar];
