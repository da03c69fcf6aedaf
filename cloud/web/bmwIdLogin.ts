import type { FastifyRequest } from 'fastify';
import type { Account, Accounts } from '../accounts';
import type { PasswordAttempts } from '../oauth/attempts';
import { sameSecret } from '../passwords';

/**
 * A BMW ID login on one of the cloud's web pages (the My BMW app, the web portal): the account,
 * or why not. Wrong passwords slow down the address that sends them, per account, as on the car's
 * token endpoint; the password is compared in constant time and never kept.
 */
export function bmwIdLogin(
  deps: { accounts: Accounts; attempts: PasswordAttempts },
  request: FastifyRequest,
  email: string,
  password: string,
): { account: Account } | { wrong: true } | { retryAfterSeconds: number } {
  const wait = deps.attempts.retryAfter(request.ip, email);
  if (wait > 0) return { retryAfterSeconds: wait };
  const account = deps.accounts.findByEmail(email);
  if (!account || !sameSecret(password, account.password)) {
    deps.attempts.fail(request.ip, email);
    return { wrong: true };
  }
  deps.attempts.succeed(request.ip, email);
  return { account };
}
